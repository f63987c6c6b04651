"""A partition leader cut off from the other brokers (issue 4). Three brokers with FaultProxies in
front of their Raft listeners; an RF=3 topic. The leader of its partition is isolated (its Raft
connections cut both ways; its Kafka listener still answers):

- the isolated broker accepts no acks=all write: a Produce sent to exactly that broker answers
  NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS(_AFTER_APPEND) or REQUEST_TIMED_OUT, or nothing;
  never success;
- the two others elect a new leader (their Metadata names it) and an idempotent acks=all producer
  that knows only them gets its records acknowledged;
- after healing, the isolated broker catches up: its own Kafka log (the partition's segment files
  in its log.dirs) holds every acknowledged record, it is back in the ISR, and the write it was
  sent while isolated is in no log (Raft discarded the uncommitted entry)."""

import glob
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ck  # noqa: E402
import cluster_kafka as kafka  # noqa: E402
import harness  # noqa: E402
from cluster import Cluster  # noqa: E402

TOPIC = "isolated"
REFUSALS = (kafka.NOT_LEADER_OR_FOLLOWER, kafka.REQUEST_TIMED_OUT, kafka.NOT_ENOUGH_REPLICAS,
            kafka.NOT_ENOUGH_REPLICAS_AFTER_APPEND)


def kafka_log_bytes(broker, topic, partition):
    """The bytes of the partition's Kafka segment files in the broker's log.dirs."""
    out = b""
    for path in sorted(glob.glob(os.path.join(broker.data_dir, "%s-%d" % (topic, partition),
                                              "*.log"))):
        with open(path, "rb") as f:
            out += f.read()
    return out


class ClusterIsolationTest(harness.BrokerTestCase):
    def partition(self, brokers):
        md = kafka.any_metadata(brokers, [TOPIC])
        return kafka.partitions_of(md, TOPIC).get(0)

    def leader_taking_writes(self, cluster):
        """The broker Metadata names as leader once it has taken an acks=all write (right after
        creation Metadata names the placement's first replica until the Raft group's elected
        leader reports itself; the other answers NOT_LEADER_OR_FOLLOWER meanwhile)."""
        deadline = time.monotonic() + 30
        while True:
            leader = self.partition(cluster.brokers)["leader"]
            error, _ = kafka.produce_raw(cluster.broker(leader), TOPIC, 0,
                                         [b"before-0", b"before-1"])
            if error == kafka.NONE:
                return leader
            self.assertIn(error, (kafka.NOT_LEADER_OR_FOLLOWER, kafka.LEADER_NOT_AVAILABLE),
                          "the leader must take acks=all writes before the cut")
            self.assertLess(time.monotonic(), deadline, "no leader took a write within 30 s")
            time.sleep(0.2)

    def test_isolated_leader_takes_no_write_majority_serves_and_it_catches_up(self):
        cluster = Cluster(self, 3, proxied=True, extra=kafka.FAST_SESSIONS).start()
        cluster.wait_for(lambda: kafka.live_broker_count(cluster.brokers) == 3,
                         what="three brokers in Metadata")
        kafka.create_topic(cluster.bootstrap, TOPIC, 1, 3, {"min.insync.replicas": "2"})
        cluster.wait_for(lambda: kafka.settled(
            kafka.any_metadata(cluster.brokers, [TOPIC]), TOPIC, 1, 3),
            what="the partition led by its preferred replica with 3 in-sync replicas")
        leader = self.leader_taking_writes(cluster)

        cluster.isolate(leader)
        print("isolated broker %d, the partition's leader" % leader)
        error, _ = kafka.produce_raw(cluster.broker(leader), TOPIC, 0, [b"isolated-write"])
        print("the isolated broker answered acks=all Produce with %s" % error)
        self.assertTrue(error is None or error in REFUSALS,
                        "an isolated broker must not acknowledge an acks=all write (got error "
                        "code %s)" % error)

        others = [b for i, b in enumerate(cluster.brokers, start=1) if i != leader]
        cluster.wait_for(lambda: (self.partition(others) or {}).get("leader", -1) not in
                         (-1, leader), what="the majority naming a new leader")
        new_leader = self.partition(others)["leader"]
        print("broker %d leads the partition now" % new_leader)
        producer = ck.idempotent_producer(",".join(b.bootstrap for b in others))
        values = [b"majority-%04d" % i for i in range(200)]
        report, remaining = ck.produce_all(producer, TOPIC, values)
        self.assertEqual((remaining, report.failed), (0, []), "the majority takes every write")
        self.assertEqual(len(report.acked), len(values))

        cluster.heal()
        acked = [b"before-0", b"before-1"] + values
        isolated = cluster.broker(leader)
        cluster.wait_for(lambda: all(v in kafka_log_bytes(isolated, TOPIC, 0) for v in acked),
                         what="the healed broker's Kafka log holding every acknowledged record")
        cluster.wait_for(lambda: kafka.replicated_everywhere(cluster.brokers, TOPIC, 1, 3),
                         what="the healed broker back in the ISR in every broker's Metadata")
        for i, b in enumerate(cluster.brokers, start=1):
            self.assertNotIn(b"isolated-write", kafka_log_bytes(b, TOPIC, 0),
                             "broker %d's Kafka log holds the write the isolated leader could "
                             "not commit" % i)
        hw = kafka.high_watermarks(cluster.brokers, TOPIC, 1)
        records, errors, complete = ck.consume_all(cluster.bootstrap, TOPIC, 1, hw[0])
        self.assertEqual((errors, complete), ([], True))
        self.assertEqual([v for _, _, _, v in records], acked,
                         "the log holds exactly the acknowledged records, in order")


if __name__ == "__main__":
    harness.main()
