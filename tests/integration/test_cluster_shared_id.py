"""Clustered mode: one cluster id for the whole cluster. Three brokers started on empty data
directories without cluster.id agree on the first controller leader's id: every broker answers
DescribeCluster and GET /v1/health (and /v1/cluster) with it, and every meta.properties holds it,
also after all three restart. A broker whose pre-existing meta.properties belongs to another
cluster says so in one line and exits with code 2 without ever serving clients (its file left
alone); a cluster.id property that differs from meta.properties, or is malformed, stops start-up
too."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster_kafka as kafka  # noqa: E402
import harness  # noqa: E402
from cluster import Cluster, free_port, run_to_exit  # noqa: E402

# Short heartbeats so registration and fencing take seconds.
FAST = {"broker.heartbeat.interval.ms": "200", "broker.session.timeout.ms": "2000"}
FOREIGN_ID = "D4-tW9nLRp-hZXCGdyiVDg"


def meta_properties(broker):
    with open(os.path.join(broker.data_dir, "meta.properties")) as f:
        lines = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    return dict(l.split("=", 1) for l in lines)


def write_meta_properties(broker, cluster_id, node_id):
    with open(os.path.join(broker.data_dir, "meta.properties"), "w") as f:
        f.write("cluster.id=%s\nnode.id=%d\nversion=1\n" % (cluster_id, node_id))


class ClusterSharedIdTest(harness.BrokerTestCase):
    def admin_json(self, broker, path):
        status, body = broker.admin_get(path)
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def all_unfenced(self, broker):
        try:
            seen = self.admin_json(broker, "/v1/cluster")["brokers"]
        except OSError:
            return False
        return sorted(b["id"] for b in seen) == [1, 2, 3] and not any(b["fenced"] for b in seen)

    def assert_one_id(self, cluster):
        """Every broker reports the same id everywhere; returns it."""
        for b in cluster.brokers:
            cluster.wait_for(lambda b=b: self.all_unfenced(b), what="3 unfenced on %s" % b.name)
        ids = set()
        for b in cluster.brokers:
            answer = kafka.describe_cluster(b)
            self.assertEqual(answer["error"], 0, "DescribeCluster from %s" % b.name)
            described = answer["cluster_id"]
            health = self.admin_json(b, "/v1/health")["cluster_id"]
            view = self.admin_json(b, "/v1/cluster")["cluster_id"]
            stored = meta_properties(b)["cluster.id"]
            self.assertEqual({described, health, view, stored}, {described},
                             "%s: DescribeCluster %s, /v1/health %s, /v1/cluster %s, "
                             "meta.properties %s" % (b.name, described, health, view, stored))
            ids.add(described)
        self.assertEqual(len(ids), 1, "brokers report different cluster ids: %s" % ids)
        cluster_id = ids.pop()
        self.assertEqual(len(cluster_id), 22)
        # A real client agrees (kafka-python's admin asks whichever broker it likes).
        from kafka.admin import KafkaAdminClient
        admin = KafkaAdminClient(bootstrap_servers=cluster.bootstrap, request_timeout_ms=30000)
        try:
            self.assertEqual(admin.describe_cluster()["cluster_id"], cluster_id)
        finally:
            admin.close()
        return cluster_id

    def test_brokers_share_one_id_and_a_foreign_data_directory_is_refused(self):
        cluster = Cluster(self, 3, extra=FAST)
        for b in cluster.brokers:
            b.admin = True
            b.admin_port = free_port(b.host)
        cluster.start()
        cluster_id = self.assert_one_id(cluster)
        adopted = [b.name for b in cluster.brokers if "adopted the controller quorum's cluster id"
                   in b.log_text()]
        self.assertLessEqual(len(adopted), 2, "the first leader keeps its own id")

        # The same id after every broker restarts.
        for b in cluster.brokers:
            self.assertEqual(b.stop(), 0)
        cluster.start()
        self.assertEqual(self.assert_one_id(cluster), cluster_id)

        # Broker 3's data directory now claims another cluster: refused, exit code 2.
        victim = cluster.broker(3)
        self.assertEqual(victim.stop(), 0)
        write_meta_properties(victim, FOREIGN_ID, 3)
        code, out = run_to_exit(victim, {})
        self.assertEqual(code, 2, out)
        self.assertIn("belongs to cluster %s, the controller quorum is cluster %s"
                      % (FOREIGN_ID, cluster_id), out)
        self.assertNotIn("serving Kafka on listener", out)
        self.assertEqual(meta_properties(victim)["cluster.id"], FOREIGN_ID)

        # A configured cluster.id that differs from meta.properties stops start-up naming both.
        write_meta_properties(victim, cluster_id, 3)
        code, out = run_to_exit(victim, {"cluster.id": FOREIGN_ID})
        self.assertNotEqual(code, 0, out)
        self.assertIn("belongs to cluster %s but this broker is configured with cluster.id %s"
                      % (cluster_id, FOREIGN_ID), out)
        # A malformed one is a configuration error (exit code 2).
        code, out = run_to_exit(victim, {"cluster.id": "my-cluster"})
        self.assertEqual(code, 2, out)
        self.assertIn("cluster.id: expected a cluster id", out)
        self.assertEqual(meta_properties(victim)["cluster.id"], cluster_id)

        # Configured with the quorum's id, broker 3 joins again.
        victim.extra["cluster.id"] = cluster_id
        victim.restart()
        self.assertEqual(self.assert_one_id(cluster), cluster_id)


if __name__ == "__main__":
    harness.main()
