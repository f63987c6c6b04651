"""Raft-replicated partitions between real brokers (issue 4, docs/raft.md "Partitions on Raft").

Three tributary-broker processes form one cluster (every node a controller voter). An RF=3 topic
(min.insync.replicas=2) and an RF=2 topic are created through the admin API. Then:
- only the partition's leader takes a write: a follower, and a broker that is no replica at all,
  answer Produce with NOT_LEADER_OR_FOLLOWER; a Fetch v12 to a follower names the leader in
  its CurrentLeader;
- an idempotent acks=all confluent-kafka producer writes; everything is read back (the consumer
  fetches from the leader);
- the partition's leader is killed with SIGKILL; the same producer keeps producing once its
  metadata names the new leader; afterwards every acknowledged record is in the log exactly once,
  in order, at the offset it was acknowledged with; the killed broker comes back and the partition
  gets its three in-sync replicas again.
Run with /usr/bin/python3 (confluent-kafka and kafka-python from Debian)."""

import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kafka.protocol.produce import ProduceRequest, ProduceResponse  # noqa: E402
from kafka.record.memory_records import MemoryRecordsBuilder  # noqa: E402

import ck  # noqa: E402
import cluster_kafka as kafka  # noqa: E402
import fetch_v12  # noqa: E402
import harness  # noqa: E402
from cluster import Cluster  # noqa: E402

NOT_LEADER_OR_FOLLOWER = 6
UNKNOWN_TOPIC_OR_PARTITION = 3
PATIENCE_S = 90.0
SETTINGS = {"broker.heartbeat.interval.ms": "250", "broker.session.timeout.ms": "2000"}


def raw_produce(broker, topic, partition, value):
    """Produce v3 of one record, acks=all, to exactly this broker: its error code."""
    builder = MemoryRecordsBuilder(magic=2, compression_type=0, batch_size=1 << 16)
    builder.append(int(time.time() * 1000), None, value, [])
    builder.close()
    request = ProduceRequest[3](transactional_id=None, required_acks=-1, timeout=5000,
                                topics=[(topic, [(partition, builder.buffer())])])
    with socket.create_connection((broker.host, broker.port), timeout=15) as sock:
        sock.settimeout(15)
        sock.sendall(harness.encode_request(0, 3, 7, request.encode()))
        frame = harness.read_frame(sock)
    _topic, parts = ProduceResponse[3].decode(frame[4:]).topics[0]
    return parts[0][1]


class ReplicatedPartitionTest(harness.BrokerTestCase):
    def wait_led(self, cluster, topic, isr, not_by=None, preferred=False):
        """Waits until partition 0 of topic has a leader (other than not_by; with `preferred`,
        its preferred replica, where a new topic's leadership settles) and `isr` in-sync
        replicas; returns (leader, replicas, isr)."""
        found = []

        def led():
            m = kafka.partition_state(cluster.bootstrap, topic)
            if not m or (preferred and m[1] and m[0] != m[1][0]):
                return False
            if m[0] >= 0 and m[0] != not_by and len(m[2]) >= isr:
                found[:] = [m]
                return True
            return False

        cluster.wait_for(led, timeout=PATIENCE_S,
                         what="%s-0 led with %d in-sync replicas" % (topic, isr))
        return found[0]

    def produce_once_known(self, cluster, node_id, topic):
        """raw_produce to node_id once its metadata has the topic (another broker's Metadata may
        show a topic before this one has applied it: it answers UNKNOWN_TOPIC_OR_PARTITION)."""
        answers = []

        def known():
            answers[:] = [raw_produce(cluster.broker(node_id), topic, 0, b"no")]
            return answers[0] != UNKNOWN_TOPIC_OR_PARTITION

        cluster.wait_for(known, timeout=PATIENCE_S, what="broker %d knows %s" % (node_id, topic))
        return answers[0]

    def produce(self, producer, values):
        report, remaining = ck.produce_all(producer, "rf3", values, flush_timeout=120)
        self.assertEqual(remaining, 0, "records still unacknowledged")
        self.assertEqual(report.failed, [])
        return report.acked

    def test_leader_serves_and_a_kill_9_of_it_loses_no_acknowledged_record(self):
        cluster = Cluster(self, 3, extra=SETTINGS).start()
        cluster.wait_for(lambda: kafka.live_broker_count(cluster.brokers) == 3, timeout=PATIENCE_S,
                         what="three live brokers in Metadata")
        kafka.create_topic(cluster.bootstrap, "rf3", 1, 3, {"min.insync.replicas": "2"},
                           timeout=PATIENCE_S)
        kafka.create_topic(cluster.bootstrap, "rf2", 1, 2, timeout=PATIENCE_S)
        leader, replicas, _ = self.wait_led(cluster, "rf3", 3, preferred=True)
        self.assertEqual(sorted(replicas), [1, 2, 3])

        # Only the leader takes writes.
        follower = next(i for i in replicas if i != leader)
        self.assertEqual(self.produce_once_known(cluster, follower, "rf3"),
                         NOT_LEADER_OR_FOLLOWER)
        # A client fetching from the follower is told the leader (Fetch v12+ CurrentLeader).
        answer = fetch_v12.fetch(cluster.broker(follower).host, cluster.broker(follower).port,
                                 "rf3", 0)
        self.assertEqual(answer["error"], NOT_LEADER_OR_FOLLOWER)
        self.assertIsNotNone(answer["current_leader"], "no CurrentLeader in the answer")
        self.assertEqual(answer["current_leader"][0], leader)
        self.assertGreaterEqual(answer["current_leader"][1], 0)
        _, rf2_replicas, _ = self.wait_led(cluster, "rf2", 2, preferred=True)
        outsider = next(i for i in (1, 2, 3) if i not in rf2_replicas)
        self.assertEqual(self.produce_once_known(cluster, outsider, "rf2"),
                         NOT_LEADER_OR_FOLLOWER)

        producer = ck.idempotent_producer(cluster.bootstrap, **{
            "message.timeout.ms": 120000, "retry.backoff.ms": 50,
            "topic.metadata.refresh.fast.interval.ms": 100})
        acked = self.produce(producer, [b"before-%05d" % i for i in range(300)])
        records, errors, complete = ck.consume_all(cluster.bootstrap, "rf3", 1, expected=300)
        self.assertTrue(complete, errors)
        self.assertEqual([r[3] for r in records], [b"before-%05d" % i for i in range(300)])

        # SIGKILL the leader; the producer follows the new one.
        cluster.kill(leader)
        new_leader, _, _ = self.wait_led(cluster, "rf3", 2, not_by=leader)
        print("leader %d killed; %d leads now" % (leader, new_leader))
        acked += self.produce(producer, [b"after-%05d" % i for i in range(300)])
        producer.flush(30)

        expected = [b"before-%05d" % i for i in range(300)] + [b"after-%05d" % i
                                                               for i in range(300)]
        records, errors, complete = ck.consume_all(cluster.bootstrap, "rf3", 1,
                                                   expected=len(expected))
        self.assertTrue(complete, errors)
        self.assertEqual([r[3] for r in records], expected)  # once each, in order
        offsets = {value: offset for _p, offset, _k, value in records}
        for _p, offset, value in acked:
            self.assertEqual(offsets[value], offset, value)

        # The killed broker returns and catches up: three in-sync replicas again.
        cluster.restart(leader)
        self.wait_led(cluster, "rf3", 3)
        records, errors, complete = ck.consume_all(cluster.bootstrap, "rf3", 1,
                                                   expected=len(expected))
        self.assertTrue(complete, errors)
        self.assertEqual([r[3] for r in records], expected)


if __name__ == "__main__":
    harness.main()
