"""Committed offsets survive the loss of their coordinator (issue 4, docs/consumer-offsets.md).

Three brokers in racks a, b, c. The first FindCoordinator creates __consumer_offsets as a
replicated cluster topic (offsets.topic.num.partitions=6, offsets.topic.replication.factor=3).
A confluent-kafka group consumer reads 300 records and commits. The coordinator (the leader of
the group's __consumer_offsets partition, which every broker names) is killed with SIGKILL: another
broker becomes the coordinator, a new consumer of the group finds the 300 committed offsets, and
reads only the 30 records produced after them. The killed broker restarts and catches up; then the
coordinator of that moment is killed too and the offsets committed since are still there."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster_kafka as kafka  # noqa: E402
import harness  # noqa: E402
from cluster import Cluster  # noqa: E402
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition  # noqa: E402

RACKS = ["a", "b", "c"]
TOPIC = "orders"
PARTITIONS = 3
GROUP = "billing"
OFFSETS = "__consumer_offsets"
OFFSETS_PARTITIONS = 6


def produce(bootstrap, first, count):
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    for i in range(first, first + count):
        producer.produce(TOPIC, value=b"v%d" % i, key=b"k%d" % i)
    left = producer.flush(60)
    del producer
    return left


def consumer(bootstrap):
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": GROUP,
                  "auto.offset.reset": "earliest", "enable.auto.commit": False,
                  "session.timeout.ms": 6000})
    c.subscribe([TOPIC])
    return c


def read(c, count, timeout=60.0):
    """Values read until `count` arrived (or the timeout), then 2 s more for any extra."""
    seen = []
    deadline = time.monotonic() + timeout
    quiet_until = None
    while time.monotonic() < deadline:
        if len(seen) >= count:
            quiet_until = quiet_until or time.monotonic() + 2.0
            if time.monotonic() > quiet_until:
                break
        m = c.poll(0.3)
        if m is not None and not m.error():
            seen.append(m.value())
    return seen


def committed_total(bootstrap, timeout=60.0):
    """The sum of the group's committed offsets over TOPIC's partitions, asked by a new consumer
    (retried while the coordinator moves); None if no answer came."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        c = Consumer({"bootstrap.servers": bootstrap, "group.id": GROUP,
                      "enable.auto.commit": False})
        try:
            tps = c.committed([TopicPartition(TOPIC, p) for p in range(PARTITIONS)], timeout=10)
            if all(tp.error is None for tp in tps):
                return sum(max(tp.offset, 0) for tp in tps)
        except KafkaException:
            pass
        finally:
            c.close()
        time.sleep(0.5)
    return None


class ClusterConsumerOffsetsTest(harness.BrokerTestCase):
    def coordinator(self, cluster):
        """The coordinator every running broker names for GROUP, once they agree; it must be the
        leader of the group's __consumer_offsets partition."""
        found = {}

        def agreed():
            try:
                answers = {kafka.coordinator_of(b, GROUP) for b in cluster.brokers if b.running()}
            except OSError:
                return False
            if len(answers) != 1:
                return False
            error, node = answers.pop()
            found["node"] = node
            return error == kafka.NONE and cluster.broker(node).running()
        cluster.wait_for(agreed, timeout=90, what="every broker naming one live coordinator")
        md = kafka.any_metadata(cluster.brokers, [OFFSETS])
        partition = kafka.offsets_partition_of(GROUP, OFFSETS_PARTITIONS)
        self.assertEqual(found["node"], kafka.partitions_of(md, OFFSETS)[partition]["leader"])
        return found["node"]

    def test_committed_offsets_survive_kill_9_of_the_coordinator(self):
        extra = dict(kafka.FAST_SESSIONS)
        extra["offsets.topic.num.partitions"] = str(OFFSETS_PARTITIONS)
        cluster = Cluster(self, 3, racks=RACKS, extra=extra).start()
        cluster.wait_for(lambda: kafka.live_broker_count(cluster.brokers) == 3,
                         what="three brokers in Metadata")
        kafka.create_topic(cluster.bootstrap, TOPIC, PARTITIONS, 3)
        cluster.wait_for(lambda: kafka.replicated_everywhere(cluster.brokers, TOPIC, PARTITIONS, 3),
                         what="the topic replicated")
        self.assertEqual(produce(cluster.bootstrap, 0, 300), 0, "every record acknowledged")

        first = consumer(cluster.bootstrap)
        values = read(first, 300)
        self.assertEqual(sorted(values), sorted(b"v%d" % i for i in range(300)))
        first.commit(asynchronous=False)
        first.close()
        self.assertEqual(committed_total(cluster.bootstrap), 300)

        # __consumer_offsets is a replicated cluster topic, spread over the racks.
        cluster.wait_for(lambda: kafka.replicated_everywhere(cluster.brokers, OFFSETS,
                                                             OFFSETS_PARTITIONS, 3),
                         what="__consumer_offsets with 3 in-sync replicas per partition")
        victim = self.coordinator(cluster)
        print("coordinator of %s: broker %d; killing it" % (GROUP, victim))
        cluster.kill(victim)
        successor = self.coordinator(cluster)
        print("new coordinator: broker %d" % successor)
        self.assertNotEqual(successor, victim)
        self.assertEqual(committed_total(cluster.bootstrap), 300,
                         "the new coordinator has the committed offsets")

        self.assertEqual(produce(cluster.bootstrap, 300, 30), 0)
        second = consumer(cluster.bootstrap)
        values = read(second, 30)
        self.assertEqual(sorted(values), sorted(b"v%d" % i for i in range(300, 330)),
                         "the group resumes at its committed offsets")
        second.commit(asynchronous=False)
        second.close()
        self.assertEqual(committed_total(cluster.bootstrap), 330)

        cluster.restart(victim)
        cluster.wait_for(lambda: kafka.live_broker_count(cluster.brokers) == 3,
                         what="the restarted broker back in Metadata")
        cluster.wait_for(lambda: kafka.replicated_everywhere(cluster.brokers, OFFSETS,
                                                             OFFSETS_PARTITIONS, 3),
                         timeout=90, what="the restarted broker in sync again")
        again = self.coordinator(cluster)
        print("coordinator after the restart: broker %d; killing it" % again)
        cluster.kill(again)
        self.assertNotEqual(self.coordinator(cluster), again)
        self.assertEqual(committed_total(cluster.bootstrap), 330)


if __name__ == "__main__":
    harness.main()
