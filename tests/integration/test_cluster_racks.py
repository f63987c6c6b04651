"""Rack-aware placement seen through Metadata (issue 4): six brokers in racks a, b, c (two each)
form one cluster; an RF=3 topic with 12 partitions created through the admin API has, in the
Metadata every broker answers, one replica in each rack for every partition, and preferred
leaders (first replicas) spread evenly over the brokers (counts differ by at most one); the
partitions' leaders then move to their preferred replicas, so leaders spread as evenly."""

import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster_kafka as kafka  # noqa: E402
import harness  # noqa: E402
from cluster import Cluster  # noqa: E402

RACKS = ["a", "b", "c"]
BROKERS = 6
TOPIC = "racked"
PARTITIONS = 12


class ClusterRacksTest(harness.BrokerTestCase):
    def test_rf3_topic_spans_three_racks_with_preferred_leaders_spread_evenly(self):
        cluster = Cluster(self, BROKERS, racks=RACKS, extra=kafka.FAST_SESSIONS).start()
        cluster.wait_for(lambda: kafka.live_broker_count(cluster.brokers) == BROKERS,
                         what="every broker registered and unfenced in Metadata")
        kafka.create_topic(cluster.bootstrap, TOPIC, PARTITIONS, 3)
        cluster.wait_for(lambda: all(kafka.fully_replicated(kafka.metadata(b, [TOPIC]), TOPIC,
                                                            PARTITIONS, 3)
                                     for b in cluster.brokers),
                         what="every broker's Metadata showing every partition led and in sync")

        for node_id, b in enumerate(cluster.brokers, start=1):
            md = kafka.metadata(b, [TOPIC])
            racks = {i: rack for i, (_, _, rack) in md["brokers"].items()}
            self.assertEqual(racks, {i: RACKS[(i - 1) % 3] for i in range(1, BROKERS + 1)},
                             "broker %d's Metadata must list every broker with its rack" % node_id)
            parts = kafka.partitions_of(md, TOPIC)
            for index, p in sorted(parts.items()):
                self.assertEqual(sorted(racks[r] for r in p["replicas"]), RACKS,
                                 "partition %d (replicas %s) must have one replica per rack"
                                 % (index, p["replicas"]))
            preferred = collections.Counter(p["replicas"][0] for p in parts.values())
            counts = [preferred.get(i, 0) for i in range(1, BROKERS + 1)]
            print("broker %d's Metadata: preferred leaders per broker %s" % (node_id, counts))
            self.assertLessEqual(max(counts) - min(counts), 1,
                                 "preferred leaders must spread evenly: %s" % counts)

        # Leadership follows the preferred replicas (auto.leader.rebalance.enable), so the
        # leaders themselves spread as evenly.
        def led_by_preferred():
            parts = kafka.partitions_of(kafka.any_metadata(cluster.brokers, [TOPIC]), TOPIC)
            return len(parts) == PARTITIONS and all(
                p["leader"] == p["replicas"][0] for p in parts.values())

        cluster.wait_for(led_by_preferred, what="every partition led by its preferred replica")
        parts = kafka.partitions_of(kafka.any_metadata(cluster.brokers, [TOPIC]), TOPIC)
        leaders = collections.Counter(p["leader"] for p in parts.values())
        counts = [leaders.get(i, 0) for i in range(1, BROKERS + 1)]
        print("leaders per broker %s" % counts)
        self.assertLessEqual(max(counts) - min(counts), 1,
                             "leaders must spread evenly: %s" % counts)


if __name__ == "__main__":
    harness.main()
