"""Cluster identity and listeners: a broker started on the listener layout the operator renders
(CONTROLLER, REPLICATION, PLAIN, TLS) serves Kafka on its PLAINTEXT client listeners only (the
controller listener carries the controller quorum's Raft traffic),
advertises the listener each request arrived on, keeps one cluster id in meta.properties across
restarts, shows it on the admin API and to clients, and refuses a data directory of another
node.id."""

import json
import os
import socket
import subprocess

import harness


def free_port(host):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def refused(host, port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(5.0)
        return s.connect_ex((host, port)) != 0


def not_kafka(host, port):
    """True when host:port does not answer a Kafka ApiVersions request (refused or closed)."""
    try:
        return not harness.api_versions(host, port, timeout=5.0)
    except Exception:  # noqa: BLE001 - any failure to get a Kafka answer counts
        return True


class ClusterIdentityListenersTest(harness.BrokerTestCase):
    def start_rendered(self):
        broker = self.start_broker(start=False)
        host = broker.host
        self.ports = {name: free_port(host) for name in ("CONTROLLER", "REPLICATION", "TLS",
                                                         "ADMIN")}
        self.ports["PLAIN"] = broker.port
        listeners = ",".join("%s://%s:%d" % (n, host, self.ports[n])
                             for n in ("CONTROLLER", "REPLICATION", "PLAIN", "TLS"))
        advertised = ",".join("%s://%s:%d" % (n, host, self.ports[n])
                              for n in ("REPLICATION", "PLAIN", "TLS"))
        broker.extra.update({
            "node.id": "0",
            "listeners": listeners,
            "advertised.listeners": advertised,
            "listener.security.protocol.map":
                "CONTROLLER:PLAINTEXT,REPLICATION:PLAINTEXT,PLAIN:PLAINTEXT,TLS:SSL",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "REPLICATION",
            "controller.quorum.voters": "0@%s:%d" % (host, self.ports["CONTROLLER"]),
            "broker.rack": "zone-a",
            "admin.listeners": "http://%s:%d" % (host, self.ports["ADMIN"]),
        })
        broker.start()
        return broker

    def metadata_via(self, broker, port):
        p = subprocess.run(["kcat", "-b", "%s:%d" % (broker.host, port), "-L", "-J"],
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode(errors="replace"))
        return json.loads(p.stdout)

    def cluster_id_of(self, broker):
        status, body = harness.Broker.admin_get(self._with_admin(broker), "/v1/health")
        self.assertEqual(status, 200, body)
        return json.loads(body)["cluster_id"]

    def _with_admin(self, broker):
        broker.admin_port = self.ports["ADMIN"]
        return broker

    def meta_properties(self, broker):
        with open(os.path.join(broker.data_dir, "meta.properties")) as f:
            lines = [l.strip() for l in f if l.strip() and not l.startswith("#")]
        return dict(l.split("=", 1) for l in lines)

    def test_rendered_listeners_identity_and_advertising(self):
        broker = self.start_rendered()
        host = broker.host

        # Kafka on the two PLAINTEXT client listeners; nothing on the controller and TLS ones.
        for name in ("PLAIN", "REPLICATION"):
            self.assertTrue(harness.api_versions(host, self.ports[name]),
                            "%s must serve Kafka" % name)
        # The controller listener belongs to the controller quorum (Raft), never to Kafka clients.
        self.assertTrue(not_kafka(host, self.ports["CONTROLLER"]),
                        "the controller listener is not served to Kafka clients")
        self.assertTrue(refused(host, self.ports["TLS"]), "TLS is not served yet")
        self.assertIn("listener TLS", broker.log_text())
        self.assertIn("not served yet", broker.log_text())

        # Each listener advertises itself (Kafka's rule).
        for name in ("PLAIN", "REPLICATION"):
            meta = self.metadata_via(broker, self.ports[name])
            self.assertEqual([b["name"] for b in meta["brokers"]],
                             ["%s:%d" % (host, self.ports[name])], meta)

        # One cluster id: meta.properties, admin API, and what clients see.
        props = self.meta_properties(broker)
        self.assertEqual(props["node.id"], "0")
        self.assertEqual(props["version"], "1")
        cluster_id = props["cluster.id"]
        self.assertEqual(len(cluster_id), 22)
        self.assertEqual(self.cluster_id_of(broker), cluster_id)
        # The single voter leads and commits its own id to the metadata log (/v1/cluster).
        status, body = harness.Broker.admin_get(self._with_admin(broker), "/v1/cluster")
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["cluster_id"], cluster_id)
        from kafka.admin import KafkaAdminClient
        admin = KafkaAdminClient(bootstrap_servers="%s:%d" % (host, self.ports["PLAIN"]),
                                 request_timeout_ms=30000)
        try:
            described = admin.describe_cluster()
        finally:
            admin.close()
        self.assertEqual(described["cluster_id"], cluster_id)
        self.assertEqual(described["brokers"][0]["rack"], "zone-a")

        # The same id after a restart.
        self.assertEqual(broker.stop(), 0)
        broker.restart()
        self.assertEqual(self.meta_properties(broker)["cluster.id"], cluster_id)
        self.assertEqual(self.cluster_id_of(broker), cluster_id)
        self.assertEqual(broker.stop(), 0)

        # Another node.id on this data directory is refused with a clear error.
        cmd = [harness.broker_binary()]
        for k, v in broker.settings().items():
            if k == "node.id":
                v = "5"
            if k == "controller.quorum.voters":
                v = "5@%s:%d" % (host, self.ports["CONTROLLER"])
            cmd += ["--set", "%s=%s" % (k, v)]
        p = subprocess.run(cmd, capture_output=True, timeout=60, cwd=broker.tmp)
        self.assertNotEqual(p.returncode, 0)
        out = (p.stdout + p.stderr).decode(errors="replace")
        self.assertIn("belongs to node.id 0", out)
        self.assertEqual(self.meta_properties(broker)["cluster.id"], cluster_id)


if __name__ == "__main__":
    harness.main()
