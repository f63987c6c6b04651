"""The controller quorum's voters are static (controller.quorum.voters, docs/raft.md): a node
whose metadata log was formed by other voters refuses to start. A one-voter cluster's broker,
restarted with three voters configured (as when a cluster is grown from one broker by changing
the voters), exits with code 2 and one line naming both sets, without serving clients; started
again with the voters its log was formed with, it serves its topic as before."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster_kafka as kafka  # noqa: E402
import harness  # noqa: E402
from cluster import Cluster, free_port, run_to_exit  # noqa: E402

TOPIC = "kept"


class ClusterStaticVotersTest(harness.BrokerTestCase):
    def test_a_node_refuses_voters_other_than_those_its_log_was_formed_with(self):
        cluster = Cluster(self, 1, extra=kafka.FAST_SESSIONS).start()
        broker = cluster.broker(1)
        kafka.create_topic(cluster.bootstrap, TOPIC, 2, 1)
        cluster.wait_for(lambda: kafka.replicated_everywhere(cluster.brokers, TOPIC, 2, 1),
                         what="the topic on the single voter")
        formed_with = broker.settings()["controller.quorum.voters"]
        self.assertEqual(broker.stop(), 0)

        grown = formed_with + ",2@%s:%d,3@%s:%d" % (broker.host, free_port(broker.host),
                                                      broker.host, free_port(broker.host))
        code, out = run_to_exit(broker, {"controller.quorum.voters": grown})
        self.assertEqual(code, 2, out)
        self.assertIn("controller.quorum.voters names voters [1,2,3] but this node's metadata log "
                      "was formed by voters [1]", out)
        self.assertNotIn("serving Kafka on listener", out)

        broker.restart()
        cluster.wait_for(lambda: kafka.replicated_everywhere(cluster.brokers, TOPIC, 2, 1),
                         what="the topic served again with the original voters")


if __name__ == "__main__":
    harness.main()
