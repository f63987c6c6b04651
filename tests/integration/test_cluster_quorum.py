"""Brokers configured as one cluster (controller.quorum.voters, a CONTROLLER listener, racks) start
and serve Kafka, also after kill -9 and restart, and with FaultProxies in front of their Raft
listeners while one broker is cut off and healed. (What the quorum then does - metadata, RF=3
topics, acks=all refused on the isolated broker - is asserted here once the broker runs it.)"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from cluster import Cluster  # noqa: E402


class ClusterQuorumTest(harness.BrokerTestCase):
    def test_three_brokers_configured_as_a_quorum_serve_kafka_and_survive_kill_9(self):
        cluster = Cluster(self, 3, racks=["a", "b", "c"]).start()
        for b in cluster.brokers:
            versions = harness.api_versions(b.host, b.port)
            self.assertIn(3, versions)  # Metadata
        cluster.kill(2)
        cluster.restart(2)
        versions = harness.api_versions(cluster.broker(2).host, cluster.broker(2).port)
        self.assertIn(3, versions)

    def test_five_brokers_behind_fault_proxies_serve_kafka_while_one_is_cut_off_and_healed(self):
        cluster = Cluster(self, 5, proxied=True, voters="all").start()
        cluster.isolate(5)
        for b in cluster.brokers[:4]:
            self.assertIn(0, harness.api_versions(b.host, b.port))  # Produce
        cluster.heal()
        self.assertIn(0, harness.api_versions(cluster.broker(5).host, cluster.broker(5).port))


if __name__ == "__main__":
    harness.main()
