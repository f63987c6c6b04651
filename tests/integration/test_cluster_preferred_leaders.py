"""Preferred leaders (auto.leader.rebalance.enable, issue 4): three brokers, an RF=3 topic with
six partitions. Every partition's leader becomes its preferred replica (the first in its
replica list, which placement balances), so each broker leads two. A broker killed with SIGKILL
loses its leaderships to the others; once restarted and caught up it gets them back within a few
leader.imbalance.check.interval.seconds, and the records written meanwhile are all there.
Run with /usr/bin/python3."""

import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ck  # noqa: E402
import cluster_kafka as kafka  # noqa: E402
import harness  # noqa: E402
from cluster import Cluster  # noqa: E402

TOPIC = "preferred"
PARTITIONS = 6
SETTINGS = dict(kafka.FAST_SESSIONS, **{"leader.imbalance.check.interval.seconds": "1"})


class PreferredLeadersTest(harness.BrokerTestCase):
    def leaders(self, cluster):
        """{partition: (leader, preferred)} from a running broker's Metadata."""
        parts = kafka.partitions_of(kafka.any_metadata(cluster.brokers, [TOPIC]), TOPIC)
        return {i: (p["leader"], p["replicas"][0]) for i, p in parts.items()}

    def all_preferred(self, cluster):
        led = self.leaders(cluster)
        return len(led) == PARTITIONS and all(leader == pref for leader, pref in led.values())

    def test_leadership_returns_to_the_preferred_replica_after_a_restart(self):
        cluster = Cluster(self, 3, extra=SETTINGS).start()
        cluster.wait_for(lambda: kafka.live_broker_count(cluster.brokers) == 3,
                         what="three live brokers")
        kafka.create_topic(cluster.bootstrap, TOPIC, PARTITIONS, 3)
        cluster.wait_for(lambda: self.all_preferred(cluster),
                         what="every partition led by its preferred replica")
        counts = collections.Counter(leader for leader, _ in self.leaders(cluster).values())
        self.assertEqual(sorted(counts.values()), [2, 2, 2], counts)

        victim = 1
        cluster.kill(victim)
        cluster.wait_for(lambda: all(leader not in (victim, -1)
                                     for leader, _ in self.leaders(cluster).values()),
                         what="the killed broker's partitions led elsewhere")
        producer = ck.idempotent_producer(cluster.bootstrap, **{
            "message.timeout.ms": 60000, "retry.backoff.ms": 50,
            "topic.metadata.refresh.fast.interval.ms": 100})
        values = [b"while-down-%04d" % i for i in range(120)]
        report, remaining = ck.produce_all(producer, TOPIC, values, flush_timeout=60)
        self.assertEqual((remaining, report.failed), (0, []))

        cluster.restart(victim)
        cluster.wait_for(lambda: self.all_preferred(cluster), timeout=90,
                         what="leadership back at the preferred replicas after the restart")
        records, errors, complete = ck.consume_all(cluster.bootstrap, TOPIC, PARTITIONS,
                                                   expected=len(values))
        self.assertTrue(complete, errors)
        self.assertEqual(sorted(r[3] for r in records), sorted(values))


if __name__ == "__main__":
    harness.main()
