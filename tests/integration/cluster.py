"""Multi-broker clusters for integration tests (standard library only).

Cluster(case, n, racks=None, proxied=False) starts n tributary-broker processes through the
single-broker harness (harness.Broker: private 127.0.0.x address, temp data dir, cleaned up with
the test, log printed on failure), configured as one cluster:

    node.id                          1..n
    listeners                        PLAINTEXT://<host>:<kafka port>,CONTROLLER://<host>:<raft port>
    listener.security.protocol.map   PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
    controller.listener.names        CONTROLLER
    controller.quorum.voters         1@<host 1>:<raft port 1>,... (every broker; voters=k names
                                     only the first k: the others are broker-only nodes)
    process.roles                    broker,controller for voters, broker for the others
    broker.rack                      racks[i % len(racks)] when racks are given

With proxied=True every broker's Raft listener is fronted by a FaultProxy (fault_proxy.py) and
controller.quorum.voters names the proxies, so isolate(i) cuts broker i off from every other
broker (both directions) and heal() reconnects them.
"""

import socket
import subprocess
import time

import harness
from fault_proxy import FaultProxy


def free_port(host):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def run_to_exit(broker, overrides):
    """Runs broker's binary in the foreground with its settings and `overrides` until it exits
    by itself (a start-up it refuses): (exit code, output)."""
    cmd = [harness.broker_binary()]
    for k, v in dict(broker.settings(), **overrides).items():
        cmd += ["--set", "%s=%s" % (k, v)]
    p = subprocess.run(harness._die_with_parent(cmd), capture_output=True, timeout=120,
                       cwd=broker.tmp)
    return p.returncode, (p.stdout + p.stderr).decode(errors="replace")


class Cluster:
    """The brokers of one test. Owned by the test case; brokers are cleaned up by the case."""

    def __init__(self, case, n, racks=None, proxied=False, voters=None, extra=None):
        self.case = case
        self.brokers = [case.start_broker(start=False) for _ in range(n)]
        self.raft_ports = [self._second_port(b) for b in self.brokers]
        self.proxies = []
        if proxied:
            for b, port in zip(self.brokers, self.raft_ports):
                proxy = FaultProxy(b.host, b.host, port)
                case.addCleanup(proxy.stop)
                self.proxies.append(proxy)
        voter_count = n if voters in (None, "all") else int(voters)
        self.voter_ids = list(range(1, voter_count + 1))
        quorum = ",".join("%d@%s" % (i, self._raft_address(i)) for i in self.voter_ids)
        for i, b in enumerate(self.brokers, start=1):
            settings = {
                "node.id": str(i),
                "listeners": "PLAINTEXT://%s:%d,CONTROLLER://%s:%d" % (
                    b.host, b.port, b.host, self.raft_ports[i - 1]),
                "advertised.listeners": "PLAINTEXT://%s:%d" % (b.host, b.port),
                "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "controller.listener.names": "CONTROLLER",
                "controller.quorum.voters": quorum,
                "process.roles": "broker,controller" if i in self.voter_ids else "broker",
            }
            if racks:
                settings["broker.rack"] = racks[(i - 1) % len(racks)]
            settings.update(extra or {})
            b.extra.update(settings)

    @staticmethod
    def _second_port(b):
        """A free port on the broker's address other than its Kafka port."""
        while True:
            port = free_port(b.host)
            if port != b.port:
                return port

    def _raft_address(self, node_id):
        if self.proxies:
            return self.proxies[node_id - 1].address
        b = self.brokers[node_id - 1]
        return "%s:%d" % (b.host, self.raft_ports[node_id - 1])

    def broker(self, node_id):
        return self.brokers[node_id - 1]

    @property
    def bootstrap(self):
        return ",".join(b.bootstrap for b in self.brokers if b.running())

    def start(self):
        """Launches every broker at once (a quorum needs a majority up before anyone is ready),
        then waits until each answers ApiVersions. Processes are spawned from the test's own
        thread: the harness ties each broker's life to its spawning thread (PR_SET_PDEATHSIG)."""
        for b in self.brokers:
            b.starts += 1
            with open(b.log_path, "ab") as log:
                log.write(("==== cluster: start #%d: %s\n" % (b.starts, " ".join(b.command())))
                          .encode())
                log.flush()
                b.proc = subprocess.Popen(harness._die_with_parent(b.command()), stdout=log,
                                          stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                          cwd=b.tmp)
        for b in self.brokers:
            b.wait_ready()
        return self

    def kill(self, node_id):
        self.broker(node_id).kill()

    def restart(self, node_id):
        self.broker(node_id).restart()

    def isolate(self, node_id):
        """Cuts node_id's Raft connections to and from every other broker."""
        if not self.proxies:
            raise RuntimeError("isolate() needs Cluster(..., proxied=True)")
        for proxy in self.proxies:
            proxy.block(node_id)

    def heal(self):
        for proxy in self.proxies:
            proxy.heal()

    def wait_for(self, predicate, timeout=60.0, what="condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.2)
        self.case.fail("timed out after %.0f s waiting for %s" % (timeout, what))
