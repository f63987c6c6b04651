"""Clustered mode (issue 4): three brokers, all controller voters, register with the controller
quorum through heartbeats on the Raft transport. Asserted through each broker's admin API
(GET /v1/cluster, the broker's own metadata cache): every broker sees all three registered and
unfenced with their racks and the same controller; a broker killed with -9 is fenced once its
session expires; restarted, it registers again with a new epoch and is unfenced. A node that
claims the controller role without being a voter is refused at start-up with one clear line
(exit 2); broker-only nodes are test_cluster_broker_only.py's."""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from cluster import Cluster, free_port  # noqa: E402

# Short heartbeats so the test waits seconds, not the 9 s default session.
FAST = {"broker.heartbeat.interval.ms": "200", "broker.session.timeout.ms": "2000"}


class ClusterRegistrationTest(harness.BrokerTestCase):
    def cluster_view(self, broker):
        status, body = broker.admin_get("/v1/cluster")
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def brokers_seen(self, broker):
        try:
            return {b["id"]: b for b in self.cluster_view(broker)["brokers"]}
        except OSError:
            return {}

    def test_brokers_register_a_killed_one_is_fenced_and_a_restarted_one_registers_again(self):
        cluster = Cluster(self, 3, racks=["a", "b", "c"], extra=FAST)
        for b in cluster.brokers:
            b.admin = True
            b.admin_port = free_port(b.host)
        cluster.start()

        def all_unfenced(view_of):
            seen = self.brokers_seen(view_of)
            return sorted(seen) == [1, 2, 3] and not any(b["fenced"] for b in seen.values())

        for b in cluster.brokers:
            cluster.wait_for(lambda b=b: all_unfenced(b), what="3 unfenced brokers on %s" % b.name)
        views = [self.cluster_view(b) for b in cluster.brokers]
        controller = views[0]["controller_id"]
        self.assertIn(controller, [1, 2, 3])
        for i, view in enumerate(views, start=1):
            self.assertEqual(view["controller_id"], controller)
            seen = {b["id"]: b for b in view["brokers"]}
            for node_id, rack in ((1, "a"), (2, "b"), (3, "c")):
                self.assertEqual(seen[node_id]["rack"], rack)
                endpoint = seen[node_id]["endpoints"][0]
                self.assertEqual(endpoint["name"], "PLAINTEXT")
                self.assertEqual(endpoint["port"], cluster.broker(node_id).port)

        # kill -9 a broker that is not the controller: fenced within the session timeout.
        victim = 3 if controller != 3 else 2
        old_epoch = self.brokers_seen(cluster.broker(controller))[victim]["epoch"]
        cluster.kill(victim)
        cluster.wait_for(lambda: self.brokers_seen(cluster.broker(controller))[victim]["fenced"],
                         what="broker %d fenced" % victim)
        # Restarted: a new incarnation, registered with a newer epoch, unfenced.
        cluster.restart(victim)

        def registered_again():
            seen = self.brokers_seen(cluster.broker(victim))
            b = seen.get(victim)
            return b is not None and b["epoch"] > old_epoch and not b["fenced"]

        cluster.wait_for(registered_again, what="broker %d registered again" % victim)
        for b in cluster.brokers:
            cluster.wait_for(lambda b=b: all_unfenced(b), what="3 unfenced brokers again")

    def test_a_controller_that_is_not_a_voter_is_refused(self):
        b = self.start_broker(start=False)
        raft = free_port(b.host)
        b.extra.update({
            "node.id": "4",
            "listeners": "PLAINTEXT://%s:%d,CONTROLLER://%s:%d" % (b.host, b.port, b.host, raft),
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "controller.listener.names": "CONTROLLER",
            "controller.quorum.voters": "1@%s:%d" % (b.host, raft),
            "process.roles": "broker,controller",
        })
        p = subprocess.run(b.command(), capture_output=True, timeout=60, cwd=b.tmp)
        self.assertEqual(p.returncode, 2)
        out = (p.stdout + p.stderr).decode(errors="replace")
        self.assertIn("node.id 4 is a controller but is not in controller.quorum.voters", out)


if __name__ == "__main__":
    harness.main()
