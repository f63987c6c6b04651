#!/usr/bin/python3
"""Unit tests of the node agent's pure parts: $(VAR) expansion, environment, mount path
mapping, argv resolution, probe thresholds and node choice."""

import http.server
import os
import socket
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "e2e",
                                "node-agent"))

from tributary_node_agent import agent, hosts, podspec, probes, scheduler  # noqa: E402


POD = {
    "metadata": {"name": "events-broker-0", "namespace": "kafka", "uid": "u-1",
                 "labels": {"app": "kafka"}},
    "spec": {"nodeName": "zone-a", "serviceAccountName": "events-broker"},
    "status": {"podIP": "127.9.1.1", "hostIP": "127.9.0.1"},
}


class ExpandTest(unittest.TestCase):
    def test_known_variables_are_replaced(self):
        self.assertEqual(podspec.expand("--id=$(ID)/x", {"ID": "7"}), "--id=7/x")

    def test_unknown_variables_are_kept_as_written(self):
        self.assertEqual(podspec.expand("$(NOPE) $(ID)", {"ID": "1"}), "$(NOPE) 1")

    def test_a_doubled_dollar_escapes_a_reference(self):
        self.assertEqual(podspec.expand("$$(ID) $$ $x", {"ID": "1"}), "$(ID) $ $x")

    def test_an_unterminated_reference_is_kept(self):
        self.assertEqual(podspec.expand("a $(ID", {"ID": "1"}), "a $(ID")


class EnvTest(unittest.TestCase):
    def env(self, container, configmaps=None, secrets=None):
        configmaps = configmaps or {}
        secrets = secrets or {}
        return podspec.container_env(POD, container, configmaps.get, secrets.get)

    def test_downward_api_fields_fill_the_environment(self):
        fields = ["metadata.name", "metadata.namespace", "status.podIP", "spec.nodeName",
                  "metadata.labels['app']"]
        container = {"env": [{"name": f"V{i}", "valueFrom": {"fieldRef": {"fieldPath": f}}}
                             for i, f in enumerate(fields)]}
        self.assertEqual(list(self.env(container).values()),
                         ["events-broker-0", "kafka", "127.9.1.1", "zone-a", "kafka"])

    def test_values_expand_variables_defined_before_them(self):
        container = {"env": [{"name": "A", "value": "$(B)"}, {"name": "B", "value": "b"},
                             {"name": "C", "value": "$(B)-$(A)"}]}
        self.assertEqual(self.env(container), {"A": "$(B)", "B": "b", "C": "b-$(B)"})

    def test_config_map_and_secret_keys_and_env_from(self):
        container = {
            "envFrom": [{"configMapRef": {"name": "cm"}, "prefix": "CM_"}],
            "env": [{"name": "S", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}],
        }
        env = self.env(container, {"cm": {"x": "1"}}, {"s": {"k": "secret"}})
        self.assertEqual(env, {"CM_x": "1", "S": "secret"})

    def test_a_missing_key_is_a_config_error_unless_optional(self):
        ref = {"name": "cm", "key": "missing"}
        with self.assertRaises(podspec.ConfigError):
            self.env({"env": [{"name": "X", "valueFrom": {"configMapKeyRef": ref}}]},
                     {"cm": {}})
        optional = dict(ref, optional=True)
        self.assertEqual(
            self.env({"env": [{"name": "X", "valueFrom": {"configMapKeyRef": optional}}]}), {})

    def test_an_unsupported_field_is_a_config_error(self):
        with self.assertRaises(podspec.ConfigError):
            podspec.field_value(POD, "status.phase")


class PathMapTest(unittest.TestCase):
    paths = podspec.PathMap([("/var/lib/tributary", "/tmp/r/pvc-1"),
                             ("/var/run/tributary", "/tmp/r/pod/runtime"),
                             ("/var/run", "/tmp/r/pod/run")])

    def test_a_path_under_a_mount_is_mapped(self):
        self.assertEqual(self.paths.rewrite("/var/run/tributary/broker.properties"),
                         "/tmp/r/pod/runtime/broker.properties")

    def test_the_longest_mount_wins(self):
        self.assertEqual(self.paths.rewrite("/var/run/other"), "/tmp/r/pod/run/other")

    def test_paths_inside_flags_and_properties_are_mapped(self):
        self.assertEqual(self.paths.rewrite("--config=/var/lib/tributary"), "--config=/tmp/r/pvc-1")
        self.assertEqual(self.paths.rewrite("log.dirs=/var/lib/tributary/data\nx=/var/run\n"),
                         "log.dirs=/tmp/r/pvc-1/data\nx=/tmp/r/pod/run\n")

    def test_a_longer_name_or_a_path_in_another_tree_is_left_alone(self):
        for text in ("/var/lib/tributary-old", "/opt/var/lib/tributary", "var/run/x"):
            self.assertEqual(self.paths.rewrite(text), text)

    def test_mount_pairs_come_from_volume_mounts_and_sub_paths(self):
        container = {"volumeMounts": [{"name": "data", "mountPath": "/d", "subPath": "s"}]}
        self.assertEqual(podspec.volume_mounts(container, {"data": "/h"}), [("/d", "/h/s")])
        with self.assertRaises(podspec.ConfigError):
            podspec.volume_mounts(container, {})


class ArgvTest(unittest.TestCase):
    images = {"ghcr.io/tributary-io/tributary-broker": "/b/broker/tributary-broker",
              "ghcr.io/tributary-io/tributary-operator": "/b/operator/tributary-operator"}

    def test_the_longest_image_prefix_names_the_binary(self):
        images = dict(self.images, **{"ghcr.io/tributary-io": "/other"})
        self.assertEqual(podspec.image_binary("ghcr.io/tributary-io/tributary-broker:0.1.0",
                                              images), "/b/broker/tributary-broker")
        self.assertIsNone(podspec.image_binary("docker.io/nginx", self.images))

    def test_command_zero_is_replaced_by_the_image_binary(self):
        container = {"command": ["tributary-operator", "broker-init"],
                     "args": ["--out", "/var/run/tributary/x", "--pod=$(POD_NAME)"]}
        argv = podspec.container_argv(container, "/b/operator/tributary-operator",
                                      {"POD_NAME": "p-0"},
                                      podspec.PathMap([("/var/run/tributary", "/h/rt")]))
        self.assertEqual(argv, ["/b/operator/tributary-operator", "broker-init", "--out",
                                "/h/rt/x", "--pod=p-0"])

    def test_a_sibling_of_the_image_binary_runs_another_command(self):
        argv = podspec.container_argv({"command": ["helper"]}, "/b/broker/tributary-broker", {},
                                      podspec.PathMap([]),
                                      exists=lambda p: p == "/b/broker/helper")
        self.assertEqual(argv, ["/b/broker/helper"])

    def test_without_a_command_the_image_binary_runs_the_args(self):
        argv = podspec.container_argv({"args": ["-v"]}, "/b/x", {}, podspec.PathMap([]))
        self.assertEqual(argv, ["/b/x", "-v"])

    def test_an_unknown_executable_is_a_config_error(self):
        with self.assertRaises(podspec.ConfigError):
            podspec.container_argv({"command": ["nope"]}, None, {}, podspec.PathMap([]),
                                   exists=lambda p: False)
        with self.assertRaises(podspec.ConfigError):
            podspec.container_argv({}, None, {}, podspec.PathMap([]))

    def test_wildcard_listen_addresses_become_the_pod_address(self):
        for text, want in (("--metrics-addr=0.0.0.0:8080", "--metrics-addr=127.9.1.1:8080"),
                           ("0.0.0.0", "127.9.1.1"), ("[::]:9092", "127.9.1.1:9092"),
                           ("allow=0.0.0.0/0", "allow=0.0.0.0/0"), ("10.0.0.0", "10.0.0.0"),
                           ("1.0.0.0.0", "1.0.0.0.0")):
            self.assertEqual(podspec.bind_pod_address(text, "127.9.1.1"), want)
        argv = podspec.container_argv({"args": ["--bind", "0.0.0.0"]}, "/b/x", {},
                                      podspec.PathMap([]), pod_ip="127.9.1.1")
        self.assertEqual(argv, ["/b/x", "--bind", "127.9.1.1"])

    def test_named_ports_resolve_to_container_ports(self):
        container = {"ports": [{"name": "admin", "containerPort": 9644}]}
        self.assertEqual(podspec.resolve_port("admin", container), 9644)
        self.assertEqual(podspec.resolve_port("8080", container), 8080)
        with self.assertRaises(podspec.ConfigError):
            podspec.resolve_port("metrics", container)


class ProbeTrackerTest(unittest.TestCase):
    def test_readiness_turns_true_after_success_threshold_and_false_after_failures(self):
        t = probes.ProbeTracker({"successThreshold": 2, "failureThreshold": 3}, False, 0.0)
        self.assertFalse(t.record(True, 1))
        self.assertTrue(t.record(True, 2))
        self.assertTrue(t.record(False, 3))
        self.assertTrue(t.record(False, 4))
        self.assertFalse(t.record(False, 5))

    def test_a_success_resets_the_failure_count(self):
        t = probes.ProbeTracker({"failureThreshold": 2}, True, 0.0)
        t.record(False, 1)
        t.record(True, 2)
        self.assertTrue(t.record(False, 3))
        self.assertFalse(t.record(False, 4))

    def test_the_first_probe_waits_for_the_initial_delay_then_each_period(self):
        t = probes.ProbeTracker({"initialDelaySeconds": 5, "periodSeconds": 10}, None, 100.0)
        self.assertFalse(t.due(104.9))
        self.assertTrue(t.due(105.0))
        t.record(True, 105.0)
        self.assertFalse(t.due(114.0))
        self.assertTrue(t.due(115.0))

    def test_the_period_cap_shortens_long_periods(self):
        t = probes.ProbeTracker({"periodSeconds": 10}, None, 0.0, period_cap=1)
        t.record(False, 0.0)
        self.assertTrue(t.due(1.0))

    def test_http_get_succeeds_on_2xx_and_3xx_and_fails_otherwise(self):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                codes = {"/ok": 200, "/moved": 302, "/bad": 503}
                self.send_response(codes.get(self.path, 404))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            container = {"ports": [{"name": "admin", "containerPort": server.server_port}]}
            results = {path: probes.run_handler({"httpGet": {"path": path, "port": "admin"}},
                                                POD, container, "127.0.0.1", 2, None)[0]
                       for path in ("/ok", "/moved", "/bad", "/missing")}
        finally:
            server.shutdown()
            server.server_close()
        self.assertEqual(results, {"/ok": True, "/moved": True, "/bad": False,
                                   "/missing": False})

    def test_tcp_socket_succeeds_only_while_something_listens(self):
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        handler = {"tcpSocket": {"port": port}}
        self.assertTrue(probes.run_handler(handler, POD, {}, "127.0.0.1", 2, None)[0])
        listener.close()
        self.assertFalse(probes.run_handler(handler, POD, {}, "127.0.0.1", 2, None)[0])

    def test_exec_succeeds_on_exit_code_zero(self):
        handler = {"exec": {"command": ["check"]}}
        self.assertTrue(probes.run_handler(handler, POD, {}, "", 1, lambda cmd, t: 0)[0])
        ok, message = probes.run_handler(handler, POD, {}, "", 1, lambda cmd, t: 2)
        self.assertFalse(ok)
        self.assertIn("2", message)

    def test_an_unknown_named_port_fails_the_probe(self):
        ok, message = probes.run_handler({"httpGet": {"port": "nope"}}, POD, {}, "127.0.0.1",
                                         1, None)
        self.assertFalse(ok)
        self.assertIn("nope", message)

    def test_an_unknown_handler_fails_with_a_message(self):
        ok, message = probes.run_handler({"grpc": {}}, POD, {}, "127.0.0.1", 1, None)
        self.assertFalse(ok)
        self.assertIn("grpc", message)


def node(name, **labels):
    return {"metadata": {"name": name, "labels": dict(labels, **{"kubernetes.io/hostname": name})}}


def pod(name, node_name=None, labels=None, spec=None):
    return {"metadata": {"name": name, "namespace": "kafka", "labels": labels or {"app": "k"}},
            "spec": dict(spec or {}, **({"nodeName": node_name} if node_name else {}))}


ZONES = [node("a-1", zone="a"), node("a-2", zone="a"), node("b-1", zone="b"), node("c-1", zone="c")]
SPREAD = {"topologySpreadConstraints": [{
    "maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
    "labelSelector": {"matchLabels": {"app": "k"}}}]}


class SchedulerTest(unittest.TestCase):
    def test_required_spread_puts_three_pods_in_three_zones(self):
        bound = []
        for i in range(3):
            p = pod(f"k-{i}", spec=SPREAD)
            p["spec"]["nodeName"] = scheduler.choose_node(p, ZONES, bound)
            bound.append(p)
        zones = {n["metadata"]["name"]: n["metadata"]["labels"]["zone"] for n in ZONES}
        self.assertEqual(sorted(zones[p["spec"]["nodeName"]] for p in bound), ["a", "b", "c"])

    def test_required_spread_refuses_a_node_that_would_exceed_max_skew(self):
        bound = [pod("k-0", "a-1"), pod("k-1", "a-2")]
        self.assertIsNone(scheduler.choose_node(pod("k-2", spec=SPREAD), ZONES, bound, "a-1"))
        self.assertEqual(scheduler.choose_node(pod("k-2", spec=SPREAD), ZONES, bound), "b-1")

    def test_pods_of_other_namespaces_or_labels_do_not_count(self):
        # Counted, they would even out the zones and let a second pod into zone a.
        bound = [pod("k-0", "a-1"), pod("o", "b-1", labels={"app": "other"}), pod("p", "c-1")]
        bound[2]["metadata"]["namespace"] = "elsewhere"
        self.assertIsNone(scheduler.choose_node(pod("k-1", spec=SPREAD), ZONES, bound, "a-2"))

    def test_node_selector_and_required_affinity_filter_nodes(self):
        affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": [
                {"key": "zone", "operator": "In", "values": ["b", "c"]},
                {"key": "kubernetes.io/hostname", "operator": "NotIn", "values": ["b-1"]}]}]}}}
        self.assertEqual(scheduler.choose_node(pod("k", spec={"affinity": affinity}), ZONES, []),
                         "c-1")
        self.assertEqual(scheduler.choose_node(pod("k", spec={"nodeSelector": {"zone": "a"}}),
                                               ZONES, [pod("x", "a-1")]), "a-2")
        self.assertIsNone(scheduler.choose_node(pod("k", spec={"nodeSelector": {"zone": "z"}}),
                                                ZONES, []))

    def test_a_required_node_from_a_local_volume_is_the_only_candidate(self):
        bound = [pod("k-0", "a-1"), pod("k-1", "b-1"), pod("k-2", "c-1")]
        self.assertEqual(scheduler.choose_node(pod("k-3", spec=SPREAD), ZONES, bound, "a-1"),
                         "a-1")

    def test_the_least_loaded_node_is_preferred(self):
        bound = [pod("x", "a-1", labels={"other": "1"}), pod("y", "b-1", labels={"o": "1"}),
                 pod("z", "c-1", labels={"o": "1"})]
        self.assertEqual(scheduler.choose_node(pod("k"), ZONES, bound), "a-2")


def sts_pod(name, ip, ready, ns="kafka", sub="brokers"):
    return {"metadata": {"name": name, "namespace": ns, "uid": "uid-" + name},
            "spec": {"hostname": name, "subdomain": sub},
            "status": {"podIP": ip, "conditions": [{"type": "Ready",
                                                    "status": "True" if ready else "False"}]}}


def headless(name, publish_not_ready, ns="kafka"):
    return {"metadata": {"name": name, "namespace": ns},
            "spec": {"clusterIP": "None", "publishNotReadyAddresses": publish_not_ready}}


class HostsTest(unittest.TestCase):
    def test_pods_of_a_headless_service_get_their_dns_names(self):
        text = hosts.render([sts_pod("b-0", "127.9.1.1", True)], [headless("brokers", False)], {})
        self.assertIn("127.9.1.1\tb-0.brokers.kafka.svc.cluster.local\n", text)
        self.assertIn("127.9.1.1\tb-0.brokers.kafka.svc\n", text)
        self.assertTrue(text.startswith(hosts.BASE))

    def test_not_ready_pods_appear_only_when_the_service_publishes_them(self):
        pods = [sts_pod("b-0", "127.9.1.1", False)]
        self.assertNotIn("b-0", hosts.render(pods, [headless("brokers", False)], {}))
        self.assertIn("b-0", hosts.render(pods, [headless("brokers", True)], {}))

    def test_without_a_headless_service_only_own_pods_resolve(self):
        pod = sts_pod("b-0", "127.9.1.1", True)
        cluster_ip = {"metadata": {"name": "brokers", "namespace": "kafka"},
                      "spec": {"clusterIP": "10.0.0.7"}}
        self.assertNotIn("b-0", hosts.render([pod], [cluster_ip], {}))
        own = {"uid-b-0": ("127.9.1.2", hosts.pod_names(pod))}
        self.assertIn("127.9.1.2\tb-0.brokers.kafka.svc\n", hosts.render([], [], own))


class NodeFlagTest(unittest.TestCase):
    def test_a_node_flag_names_the_node_and_its_labels(self):
        self.assertEqual(agent.parse_node("zone-a:topology.kubernetes.io/zone=a,tier=x"),
                         ("zone-a", {"topology.kubernetes.io/zone": "a", "tier": "x"}))
        self.assertEqual(agent.parse_node("plain"), ("plain", {}))
        with self.assertRaises(ValueError):
            agent.parse_node("n:novalue")


if __name__ == "__main__":
    unittest.main()
