#!/usr/bin/python3
"""The node agent against a real kube-apiserver + kube-controller-manager (label kube).

A StatefulSet of three small pods (Python's http.server as the container, /bin/sh for the init
container and hooks) is spread over nodes in zones a, b and c; each pod gets its own 127.x
address, its downward-API environment, a config map and a per-claim volume; readiness comes from
an httpGet probe; pods resolve each other's pod DNS names; a deleted pod runs its preStop hook, is stopped within its grace period even
when it ignores SIGTERM, and comes back on the same node with its volume's data; stopping the
agent stops every process it started.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("TRIBUTARY_SOURCE_DIR", os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(SOURCE, "e2e", "node-agent"))

from tributary_node_agent import kube  # noqa: E402

NS = "agent-test"
ZONE = "topology.kubernetes.io/zone"
IP_PREFIX = f"127.{100 + os.getpid() % 100}"


def eventually(cond, deadline=120.0):
    """Polls `cond` until it returns a truthy value or a generous liveness deadline passes."""
    until = time.time() + deadline
    while True:
        try:
            value = cond()
        except kube.ApiError:
            value = None
        if value or time.time() > until:
            return value
        time.sleep(0.2)


def http_body(ip, path):
    try:
        with urllib.request.urlopen(f"http://{ip}:8080{path}", timeout=2) as r:
            return r.read().decode()
    except OSError:
        return None


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purposes.
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


def stateful_set():
    labels = {"app": "echo"}
    init = {
        "name": "init", "image": "local/shell",
        "command": ["sh", "-c", "printf '%s %s %s' \"$POD_NAME\" \"$NODE_NAME\" \"$(GREETING)\" "
                                "> /data/hello; cp /config/ready /data/ready"],
        "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                {"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
                {"name": "GREETING", "valueFrom": {"configMapKeyRef": {"name": "echo",
                                                                       "key": "greeting"}}}],
        "volumeMounts": [{"name": "data", "mountPath": "/data"},
                         {"name": "config", "mountPath": "/config"}],
    }
    server = {
        "name": "server", "image": "local/python",
        "command": ["python3", "-m", "http.server", "--bind", "$(POD_IP)", "8080",
                    "--directory", "/data"],
        "env": [{"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}],
        "ports": [{"name": "http", "containerPort": 8080}],
        "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}, "periodSeconds": 1},
        "livenessProbe": {"tcpSocket": {"port": 8080}, "periodSeconds": 1, "failureThreshold": 3},
        "lifecycle": {"preStop": {"exec": {"command": [
            "sh", "-c", "echo stopped by $(HOSTNAME_HINT) > /data/prestop"]}}},
        "volumeMounts": [{"name": "data", "mountPath": "/data"}],
    }
    server["env"].append({"name": "HOSTNAME_HINT", "value": "prestop"})
    # Ignores SIGTERM; meanwhile keeps resolving echo-0's pod DNS name into /data/peer0.
    stubborn = {"name": "stubborn", "image": "local/shell",
                "command": ["sh", "-c", "trap '' TERM; while true; do getent hosts "
                                        f"echo-0.echo.{NS}.svc.cluster.local > /data/p.tmp && "
                                        "mv /data/p.tmp /data/peer0; sleep 0.2; done"],
                "volumeMounts": [{"name": "data", "mountPath": "/data"}]}
    return {
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "echo", "namespace": NS},
        "spec": {
            "replicas": 3, "serviceName": "echo", "podManagementPolicy": "Parallel",
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {
                "terminationGracePeriodSeconds": 3,
                "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": ZONE,
                                               "whenUnsatisfiable": "DoNotSchedule",
                                               "labelSelector": {"matchLabels": labels}}],
                "initContainers": [init], "containers": [server, stubborn],
                "volumes": [{"name": "config", "configMap": {"name": "echo"}}]}},
            "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}}}}]}}


class NodeAgentKubeTest(unittest.TestCase):
    """One control plane and one agent for the whole module, stopped even on failure."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="tributary-agent-test-")
        cls.agent = None
        plane = os.path.join(cls.dir, "plane")
        start = subprocess.run([os.path.join(SOURCE, "e2e/control-plane/start.sh"), plane,
                                str(os.getpid())], capture_output=True, text=True, check=False)
        if start.returncode != 0:
            raise RuntimeError("control plane did not start:\n" + start.stdout + start.stderr)
        cls.plane = plane
        cls.kubeconfig = os.path.join(plane, "kubeconfig")
        cls.client = kube.Client(kube.Config.load(cls.kubeconfig))
        cls.agent_log = os.path.join(cls.dir, "agent.log")
        argv = [os.path.join(SOURCE, "e2e/node-agent/node-agent"), "--kubeconfig",
                cls.kubeconfig, "--root", os.path.join(cls.dir, "root"), "--ip-prefix",
                IP_PREFIX, "--owner-pid", str(os.getpid()), "--probe-period-max", "1",
                "--image", "local/shell=/bin/sh", "--image", "local/python=/usr/bin/python3"]
        for zone in "abc":
            argv += ["--node", f"zone-{zone}:{ZONE}={zone}"]
        with open(cls.agent_log, "wb") as out:
            cls.agent = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
        c = cls.client
        c.create(kube.path("v1", "namespaces"), {"metadata": {"name": NS}})
        c.create(kube.path("v1", "configmaps", NS), {"metadata": {"name": "echo"},
                                                      "data": {"greeting": "hi",
                                                               "ready": "yes\n"}})
        # The ServiceAccount admission refuses pods until the default account has its token.
        eventually(lambda: [s for s in c.get(kube.path("v1", "secrets", NS))["items"]
                            if s["type"] == "kubernetes.io/service-account-token"])
        c.create(kube.path("v1", "services", NS), {
            "metadata": {"name": "echo"},
            "spec": {"clusterIP": "None", "publishNotReadyAddresses": True,
                     "selector": {"app": "echo"}, "ports": [{"port": 8080}]}})
        c.create(kube.path("apps/v1", "statefulsets", NS), stateful_set())

    @classmethod
    def tearDownClass(cls):
        if cls.agent is not None and cls.agent.poll() is None:
            cls.agent.kill()
            cls.agent.wait()
        if getattr(cls, "plane", None):
            subprocess.run([os.path.join(SOURCE, "e2e/control-plane/stop.sh"), cls.plane],
                           check=False)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def run(self, result=None):
        outcome = super().run(result)
        if result is not None and (result.failures or result.errors):
            with open(self.agent_log, encoding="utf-8", errors="replace") as f:
                sys.stderr.write("--- agent log ---\n" + f.read()[-20000:])
        return outcome

    def pods(self):
        return {p["metadata"]["name"]: p
                for p in self.client.get(kube.path("v1", "pods", NS))["items"]}

    def ready_pods(self):
        ready = {}
        for name, p in self.pods().items():
            conds = {c["type"]: c["status"] for c in p.get("status", {}).get("conditions", [])}
            if conds.get("Ready") == "True" and not p["metadata"].get("deletionTimestamp"):
                ready[name] = p
        return ready

    def node_zone(self, node):
        return self.client.get(kube.path("v1", "nodes", name=node))["metadata"]["labels"][ZONE]

    def test_1_nodes_are_registered_ready_with_their_zone_labels(self):
        for zone in "abc":
            node = self.client.get(kube.path("v1", "nodes", name=f"zone-{zone}"))
            self.assertEqual(node["metadata"]["labels"][ZONE], zone)
            conds = {c["type"]: c["status"] for c in node["status"]["conditions"]}
            self.assertEqual(conds["Ready"], "True")
            lease = self.client.get(kube.path("coordination.k8s.io/v1", "leases",
                                              "kube-node-lease", f"zone-{zone}"))
            self.assertTrue(lease["spec"]["renewTime"])

    def test_2_pods_run_spread_over_zones_with_own_addresses_env_and_volumes(self):
        ready = eventually(lambda: len(self.ready_pods()) == 3 and self.ready_pods(), 180)
        self.assertTrue(ready, json.dumps({n: p.get("status") for n, p in self.pods().items()}))
        zones = sorted(self.node_zone(p["spec"]["nodeName"]) for p in ready.values())
        self.assertEqual(zones, ["a", "b", "c"])
        ips = {p["status"]["podIP"] for p in ready.values()}
        self.assertEqual(len(ips), 3)
        for name, p in ready.items():
            ip = p["status"]["podIP"]
            self.assertTrue(ip.startswith(IP_PREFIX + "."), ip)
            self.assertEqual(http_body(ip, "/hello"), f"{name} {p['spec']['nodeName']} hi")
            statuses = {s["name"]: s for s in p["status"]["containerStatuses"]}
            self.assertTrue(statuses["server"]["ready"])
            self.assertIn("running", statuses["server"]["state"])
            init = p["status"]["initContainerStatuses"][0]
            self.assertEqual(init["state"]["terminated"]["exitCode"], 0)
        # Every pod resolves echo-0's pod DNS name (the agent's hosts file) to its address.
        echo0 = ready["echo-0"]["status"]["podIP"]
        for p in ready.values():
            self.assertTrue(eventually(lambda ip=p["status"]["podIP"]: (
                http_body(ip, "/peer0") or "").split()[:1] == [echo0], 30), p["status"])
        pvcs = self.client.get(kube.path("v1", "persistentvolumeclaims", NS))["items"]
        self.assertEqual(sorted(c["status"]["phase"] for c in pvcs), ["Bound"] * 3)

    def test_3_a_deleted_pod_is_stopped_gracefully_and_returns_with_its_data(self):
        before = eventually(lambda: len(self.ready_pods()) == 3 and self.ready_pods(), 180)
        self.assertTrue(before)
        old = before["echo-0"]
        pids = [int(s["containerID"].split("://")[1])
                for s in old["status"]["containerStatuses"]]
        self.client.delete(kube.path("v1", "pods", NS, "echo-0"))
        # The stubborn container ignores SIGTERM: it ends by SIGKILL after the grace period.
        self.assertTrue(eventually(lambda: not any(pid_alive(p) for p in pids), 60))
        back = eventually(lambda: (self.ready_pods().get("echo-0") or {}).get("metadata", {})
                          .get("uid") not in (None, old["metadata"]["uid"]) and
                          self.ready_pods()["echo-0"], 120)
        self.assertTrue(back, json.dumps(self.pods().get("echo-0", {}).get("status")))
        self.assertEqual(back["spec"]["nodeName"], old["spec"]["nodeName"])
        self.assertNotEqual(back["status"]["podIP"], old["status"]["podIP"])
        # The other pods now resolve echo-0 to its new address.
        new_ip = back["status"]["podIP"]
        for name, p in self.ready_pods().items():
            self.assertTrue(eventually(lambda ip=p["status"]["podIP"]: (
                http_body(ip, "/peer0") or "").split()[:1] == [new_ip], 30), name)
        # Events tell the story, as kubelet's would.
        reasons = {e["reason"] for e in self.client.get(kube.path("v1", "events", NS))["items"]
                   if e["involvedObject"].get("uid") == old["metadata"]["uid"]}
        self.assertLessEqual({"Scheduled", "Started", "Killing"}, reasons)
        # The preStop hook wrote into the claim's volume, which the new pod serves.
        self.assertEqual(http_body(back["status"]["podIP"], "/prestop"), "stopped by prestop\n")

    def test_4_containers_restart_or_finish_per_restart_policy(self):
        def shell_pod(name, policy, script):
            return {"metadata": {"name": name}, "spec": {
                "restartPolicy": policy, "terminationGracePeriodSeconds": 1,
                "containers": [{"name": "main", "image": "local/shell",
                                "command": ["sh", "-c", script]}]}}
        pods = kube.path("v1", "pods", NS)
        self.client.create(pods, shell_pod("crashing", "Always", "exit 3"))
        self.client.create(pods, shell_pod("done", "Never", "exit 0"))
        self.client.create(pods, shell_pod("failed", "OnFailure", "exit 0"))
        self.client.create(pods, shell_pod("broken", "Never", "exit 4"))

        def status(name):
            return self.client.get(kube.path("v1", "pods", NS, name)).get("status", {})

        def restarted_twice():
            s = status("crashing").get("containerStatuses", [{}])[0]
            return s.get("restartCount", 0) >= 2 and s
        crashing = eventually(restarted_twice, 60)
        self.assertTrue(crashing, status("crashing"))
        self.assertEqual(crashing["lastState"]["terminated"]["exitCode"], 3)
        self.assertFalse(crashing["ready"])
        for name, phase, code in (("done", "Succeeded", 0), ("failed", "Succeeded", 0),
                                  ("broken", "Failed", 4)):
            self.assertTrue(eventually(lambda n=name, p=phase: status(n).get("phase") == p, 60),
                            (name, status(name)))
            terminated = status(name)["containerStatuses"][0]["state"]["terminated"]
            self.assertEqual(terminated["exitCode"], code)
            self.assertEqual(status(name)["containerStatuses"][0]["restartCount"], 0)
        for name in ("crashing", "done", "failed", "broken"):
            self.client.delete(kube.path("v1", "pods", NS, name))
        self.assertTrue(eventually(lambda: not [n for n in self.pods() if n in
                                                ("crashing", "done", "failed", "broken")], 60))

    def test_5_a_released_claim_volume_is_deleted_with_its_directory(self):
        c = self.client
        c.create(kube.path("v1", "persistentvolumeclaims", NS), {
            "metadata": {"name": "scratch"},
            "spec": {"accessModes": ["ReadWriteOnce"],
                     "resources": {"requests": {"storage": "1Gi"}}}})
        c.create(kube.path("v1", "pods", NS), {"metadata": {"name": "writer"}, "spec": {
            "restartPolicy": "Never", "terminationGracePeriodSeconds": 1,
            "containers": [{"name": "main", "image": "local/shell",
                            "command": ["sh", "-c", "echo data > /scratch/file"],
                            "volumeMounts": [{"name": "s", "mountPath": "/scratch"}]}],
            "volumes": [{"name": "s", "persistentVolumeClaim": {"claimName": "scratch"}}]}})
        done = eventually(lambda: c.get(kube.path("v1", "pods", NS, "writer"))
                          .get("status", {}).get("phase") == "Succeeded", 60)
        self.assertTrue(done)
        pvc = c.get(kube.path("v1", "persistentvolumeclaims", NS, "scratch"))
        pv = c.get(kube.path("v1", "persistentvolumes", name=pvc["spec"]["volumeName"]))
        host_dir = pv["spec"]["hostPath"]["path"]
        with open(os.path.join(host_dir, "file"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "data\n")
        node = c.get(kube.path("v1", "pods", NS, "writer"))["spec"]["nodeName"]
        terms = pv["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"]
        self.assertEqual(terms[0]["matchExpressions"][0]["values"], [node])

        c.delete(kube.path("v1", "pods", NS, "writer"))
        c.delete(kube.path("v1", "persistentvolumeclaims", NS, "scratch"))
        self.assertTrue(eventually(lambda: c.get_or_none(
            kube.path("v1", "persistentvolumes", name=pv["metadata"]["name"])) is None, 60))
        self.assertFalse(os.path.exists(host_dir))

    def test_9_stopping_the_agent_stops_every_process_it_started(self):
        ready = eventually(lambda: len(self.ready_pods()) == 3 and self.ready_pods(), 180)
        self.assertTrue(ready)
        pids = [int(s["containerID"].split("://")[1])
                for p in ready.values() for s in p["status"]["containerStatuses"]]
        self.assertEqual(len(pids), 6)
        self.agent.send_signal(signal.SIGTERM)
        self.assertEqual(self.agent.wait(timeout=60), 0)
        self.assertEqual([p for p in pids if pid_alive(p)], [])
        node = self.client.get(kube.path("v1", "nodes", name="zone-a"))
        conds = {c["type"]: c["status"] for c in node["status"]["conditions"]}
        self.assertEqual(conds["Ready"], "Unknown")


if __name__ == "__main__":
    unittest.main(verbosity=2)
