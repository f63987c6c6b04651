"""A replica behind its leader's retention catches up (docs/raft.md "Partitions on Raft").

Three tributary-broker processes form one cluster with partition snapshots every 10 entries and
retention checked every 300 ms. An RF=3 topic with tiny segments and retention.bytes keeps only
the newest few kilobytes. The partition's preferred replica is killed; the producer writes on
(another replica leads) until the leader's log start is past everything the killed one holds;
it comes back. It must restart its log at the leader's log start (one info line says so),
catch up, take the lead back, and serve the records from its log start on at the offsets they
were acknowledged with.
Run with /usr/bin/python3 (confluent-kafka from Debian)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ck  # noqa: E402
import cluster_kafka as kafka  # noqa: E402
import harness  # noqa: E402
from cluster import Cluster  # noqa: E402

PATIENCE_S = 90.0
TOPIC = "ret"
SETTINGS = {"broker.heartbeat.interval.ms": "250", "broker.session.timeout.ms": "2000",
            "log.retention.check.interval.ms": "300",
            "tributary.partition.snapshot.interval.entries": "10",
            "leader.imbalance.check.interval.seconds": "1"}
TOPIC_CONFIG = {"min.insync.replicas": "2", "segment.bytes": "2048", "retention.bytes": "4096"}


def value(i):
    return b"r%05d-" % i + b"x" * 100


class FollowerBehindRetentionTest(harness.BrokerTestCase):
    def metadata(self, cluster):
        """(leader, replicas, isr) of partition 0, or None."""
        return kafka.partition_state(cluster.bootstrap, TOPIC)

    def wait_led(self, cluster, isr, not_by=None):
        found = []

        def led():
            m = self.metadata(cluster)
            if m and m[0] >= 0 and m[0] != not_by and len(m[2]) >= isr:
                found[:] = [m]
                return True
            return False

        cluster.wait_for(led, timeout=PATIENCE_S, what="%s-0 led with %d in sync" % (TOPIC, isr))
        return found[0]

    def produce(self, producer, first, count):
        """Produces value(first) .. in small flushed groups (many batches); the acked reports."""
        acked = []
        for start in range(first, first + count, 5):
            report, remaining = ck.produce_all(producer, TOPIC,
                                               [value(i) for i in range(start, start + 5)],
                                               flush_timeout=120)
            self.assertEqual(remaining, 0, "records still unacknowledged")
            self.assertEqual(report.failed, [])
            acked += report.acked
        return acked

    def create(self, cluster):
        cluster.wait_for(lambda: kafka.live_broker_count(cluster.brokers) == 3,
                         timeout=PATIENCE_S, what="three live brokers in Metadata")
        kafka.create_topic(cluster.bootstrap, TOPIC, 1, 3, TOPIC_CONFIG, timeout=PATIENCE_S)

    def test_replica_behind_the_leaders_log_start_restarts_there_and_catches_up(self):
        cluster = Cluster(self, 3, extra=SETTINGS).start()
        self.create(cluster)
        self.wait_led(cluster, 3)
        preferred = self.metadata(cluster)[1][0]
        producer = ck.idempotent_producer(cluster.bootstrap, **{
            "message.timeout.ms": 120000, "retry.backoff.ms": 50, "linger.ms": 0,
            "topic.metadata.refresh.fast.interval.ms": 100})
        acked = self.produce(producer, 0, 50)

        # The preferred replica goes down; another leads while retention runs past its end.
        cluster.kill(preferred)
        self.wait_led(cluster, 2, not_by=preferred)
        acked += self.produce(producer, 50, 400)
        cluster.wait_for(lambda: (kafka.watermarks(cluster.brokers, TOPIC) or (0, 0))[0] > 50,
                         timeout=PATIENCE_S, what="the leader's log start past offset 50")

        # It comes back, restarts its log at the leader's log start, catches up, and gets the
        # lead back (leader.imbalance.check.interval.seconds=1).
        cluster.restart(preferred)
        cluster.wait_for(
            lambda: "is below the leader's log start" in cluster.broker(preferred).log_text(),
            timeout=PATIENCE_S, what="the restart line")
        cluster.wait_for(lambda: (self.metadata(cluster) or (None,))[0] == preferred,
                         timeout=PATIENCE_S, what="broker %d leading again" % preferred)
        marks = []
        cluster.wait_for(
            lambda: marks.append(kafka.watermarks(cluster.brokers, TOPIC)) or marks[-1],
            timeout=PATIENCE_S, what="watermarks")
        low, high = marks[-1]
        print("broker %d leads again: log start %d, high watermark %d" % (preferred, low, high))
        self.assertGreater(low, 50)
        self.assertEqual(high, 450)
        records, errors, complete = ck.consume_all(cluster.bootstrap, TOPIC, 1,
                                                   expected=high - low)
        self.assertTrue(complete, errors)
        by_offset = {offset: v for _p, offset, v in acked}
        self.assertEqual([r[1] for r in records], list(range(low, high)))
        for _p, offset, _k, v in records:
            self.assertEqual(v, by_offset[offset], offset)


if __name__ == "__main__":
    harness.main()
