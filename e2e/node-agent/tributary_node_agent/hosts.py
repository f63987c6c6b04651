"""Pod DNS names without a DNS server: one hosts file, bind-mounted over /etc/hosts in a private
mount namespace for every process the agent starts (as kubelet manages a pod's /etc/hosts).

It holds what cluster DNS would answer for pods: `<hostname>.<subdomain>.<ns>.svc[.cluster.local]`
for pods whose subdomain names a headless Service in their namespace (ready pods, or all pods when
the Service publishes not-ready addresses), plus each running pod's own name from the moment its
address is known. Service names themselves are not resolved (there is no kube-proxy).
"""

import os
import shutil
import subprocess
import threading

BASE = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"


def pod_names(pod):
    spec = pod.get("spec", {})
    host, sub = spec.get("hostname"), spec.get("subdomain")
    if not host or not sub:
        return []
    base = f"{host}.{sub}.{pod['metadata']['namespace']}.svc"
    return [base + ".cluster.local", base]


def render(pods, services, own, base=BASE):
    """The hosts file text: `base`, then the pod names; `own` maps pod uid -> (ip, names) of
    pods this agent runs."""
    headless = {}
    for svc in services:
        spec = svc.get("spec", {})
        if spec.get("clusterIP") == "None":
            key = (svc["metadata"]["namespace"], svc["metadata"]["name"])
            headless[key] = bool(spec.get("publishNotReadyAddresses"))
    entries = {}
    for pod in pods:
        meta, status = pod["metadata"], pod.get("status", {})
        ip = status.get("podIP")
        key = (meta["namespace"], pod.get("spec", {}).get("subdomain"))
        if not ip or meta.get("deletionTimestamp") or key not in headless:
            continue
        ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                    for c in status.get("conditions", []))
        if ready or headless[key]:
            for name in pod_names(pod):
                entries[name] = ip
    for ip, names in own.values():
        for name in names:
            entries.setdefault(name, ip)
    lines = [f"{ip}\t{name}\n" for name, ip in sorted(entries.items())]
    if base and not base.endswith("\n"):
        base += "\n"
    return base + "".join(lines)


class PodHosts:
    """Owns the hosts file; update() runs on the sync loop, publish()/withdraw() on pod runner
    threads (under a lock). The file is rewritten in place: bind mounts follow the inode."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.own = {}
        self.pods = []
        self.services = []
        self.text = None
        self.unshare = self.mount = None
        try:
            with open("/etc/hosts", encoding="utf-8") as f:
                self.base = f.read()  # the host's own entries stay visible to pods
        except OSError:
            self.base = BASE

    def start(self):
        """Creates the file; False when this machine cannot bind-mount it for a process."""
        self._write(self.base)
        self.unshare, self.mount = shutil.which("unshare"), shutil.which("mount")
        if self.unshare is None or self.mount is None:
            return False
        probe = subprocess.run(self.wrap(["/bin/true"]), capture_output=True, check=False)
        return probe.returncode == 0

    def wrap(self, argv):
        """argv run in a private mount namespace that sees the hosts file as /etc/hosts."""
        return [self.unshare, "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
                f'{self.mount} --bind "$0" /etc/hosts && exec "$@"', self.path] + list(argv)

    def publish(self, pod, ip):
        with self.lock:
            self.own[pod["metadata"]["uid"]] = (ip, pod_names(pod))
            self._refresh()

    def withdraw(self, pod):
        with self.lock:
            self.own.pop(pod["metadata"]["uid"], None)
            self._refresh()

    def update(self, pods, services):
        with self.lock:
            self.pods, self.services = pods, services
            self._refresh()

    def _refresh(self):
        text = render(self.pods, self.services, self.own, self.base)
        if text != self.text:
            self._write(text)

    def _write(self, text):
        mode = "r+" if os.path.exists(self.path) else "w"
        with open(self.path, mode, encoding="utf-8") as f:
            f.seek(0)
            f.write(text)
            f.truncate()
        self.text = text
