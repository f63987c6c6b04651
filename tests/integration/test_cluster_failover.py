"""Leader failover after kill -9, measured (issue 4): three brokers, an RF=3 one-partition topic,
an idempotent acks=all producer producing all the time. The partition's leader is killed with
SIGKILL; the test prints the time from the kill until a record produced after it is acknowledged
(no threshold: the figure is for the reader and bench/run.py), checks that another broker leads,
and that after the restart nothing acknowledged is missing or duplicated."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ck  # noqa: E402
import cluster_kafka as kafka  # noqa: E402
import harness  # noqa: E402
from cluster import Cluster  # noqa: E402
from cluster_failover import measure_failover  # noqa: E402
from cluster_production import Production, check_log  # noqa: E402

TOPIC = "failover"


class ClusterFailoverTest(harness.BrokerTestCase):
    def test_killed_leader_is_replaced_and_the_failover_time_is_printed(self):
        cluster = Cluster(self, 3, extra=kafka.FAST_SESSIONS).start()
        cluster.wait_for(lambda: kafka.live_broker_count(cluster.brokers) == 3,
                         what="three brokers in Metadata")
        kafka.create_topic(cluster.bootstrap, TOPIC, 1, 3, {"min.insync.replicas": "2"})
        cluster.wait_for(lambda: kafka.settled(
            kafka.any_metadata(cluster.brokers, [TOPIC]), TOPIC, 1, 3),
            what="the partition led by its preferred replica with 3 in-sync replicas")
        production = Production(cluster.bootstrap, TOPIC, "f")
        self.addCleanup(production.stop)
        production.start()
        self.assertTrue(production.wait_acked(500, 60), "the producer makes progress")

        r = measure_failover(cluster, TOPIC, production)
        print("failover: %s s from kill -9 of broker %d (partition leader%s) until a record "
              "produced after the kill was acknowledged; broker %d leads now" % (
                  "%.3f" % r["seconds"] if r["seconds"] is not None else "no ack within 60",
                  r["victim"], ", also the controller" if r["victim"] == r["controller"] else "",
                  r["new_leader"]))
        self.assertIsNotNone(r["seconds"], "a record produced after the kill is acknowledged")
        self.assertNotIn(r["new_leader"], (-1, r["victim"]), "another broker leads")

        self.assertTrue(production.wait_acked(production.acked_count() + 200, 60))
        self.assertEqual(production.finish(), 0)
        hw = kafka.high_watermarks(cluster.brokers, TOPIC, 1)
        records, errors, complete = ck.consume_all(cluster.bootstrap, TOPIC, 1, hw[0])
        self.assertEqual((errors, complete), ([], True))
        check_log(self, [production], records, hw)


if __name__ == "__main__":
    harness.main()
