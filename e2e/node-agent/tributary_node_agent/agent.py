"""The agent: registers its Nodes, keeps them fresh, schedules Pending pods onto them, binds
their claims to node-local volumes, and runs one PodRunner per pod bound to its nodes.

All API polling happens on the main thread's sync loop; pod runners are threads.
"""

import logging
import os
import shutil
import signal
import threading
import time

from . import kube, scheduler
from .hosts import PodHosts
from .runner import PodRunner, now_iso

log = logging.getLogger("agent")

MANAGED_LABEL = "tributary.io/node-agent"
HOSTNAME_LABEL = "kubernetes.io/hostname"


def parse_node(text):
    """`NAME[:k=v,k=v...]` -> (name, labels)."""
    name, _, rest = text.partition(":")
    labels = {}
    for pair in filter(None, rest.split(",")):
        k, sep, v = pair.partition("=")
        if not sep:
            raise ValueError(f"bad label {pair!r} in --node {text!r} (want key=value)")
        labels[k] = v
    return name, labels


def micro_time(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t % 1 * 1e6):06d}Z"


class Agent:
    """Owns its runners, the processes they start (by PID) and its Node objects."""

    def __init__(self, client, opts):
        self.client = client
        self.root = os.path.abspath(opts.root)
        self.images = dict(opts.images)
        self.ip_prefix = opts.ip_prefix
        self.probe_period_max = opts.probe_period_max
        self.max_backoff = opts.max_backoff
        self.shutdown_grace = opts.shutdown_grace
        self.sync_period = opts.sync_period
        self.scheduler_names = set(opts.scheduler_names)
        self.owner_pid = opts.owner_pid
        self.nodes = {}  # name -> (labels, address)
        for i, (name, labels) in enumerate(opts.nodes):
            self.nodes[name] = ({**labels, HOSTNAME_LABEL: name, "kubernetes.io/os": "linux",
                                 "kubernetes.io/arch": "amd64"}, f"{self.ip_prefix}.0.{i + 1}")
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.runners = {}  # uid -> PodRunner
        self.finished = set()  # uids whose runner ended; never run again
        self.pids = set()
        self.next_ip = 0
        self.last_heartbeat = 0.0
        self.hosts = PodHosts(os.path.join(self.root, "hosts")) if opts.pod_dns else None
        self.ready_since = (None, "")  # (Ready status, when it last changed)
        self.last_reclaim = 0.0

    # --- bookkeeping shared with runners ---------------------------------------------------

    def track(self, pid):
        with self.lock:
            self.pids.add(pid)

    def untrack(self, pid):
        with self.lock:
            self.pids.discard(pid)

    def event(self, pod, reason, message, kind="Normal"):
        """Records a core/v1 Event on the pod, as kubelet and the scheduler do (best effort)."""
        meta = pod["metadata"]
        now = now_iso()
        event = {"metadata": {"generateName": meta["name"] + "."},
                 "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": meta["name"],
                                    "namespace": meta["namespace"], "uid": meta["uid"]},
                 "reason": reason, "message": message, "type": kind, "count": 1,
                 "firstTimestamp": now, "lastTimestamp": now,
                 "source": {"component": "tributary-node-agent",
                            "host": pod.get("spec", {}).get("nodeName", "")}}
        try:
            self.client.create(kube.path("v1", "events", meta["namespace"]), event)
        except kube.ApiError as e:
            log.debug("event %s on %s/%s not recorded: %s", reason, meta["namespace"],
                      meta["name"], e)

    def runner_done(self, runner):
        with self.lock:
            self.runners.pop(runner.uid, None)
            self.finished.add(runner.uid)

    def _allocate_ip(self):
        n = self.next_ip
        self.next_ip += 1
        return f"{self.ip_prefix}.{1 + n // 254}.{1 + n % 254}"

    # --- nodes ---------------------------------------------------------------------------

    def register_nodes(self):
        for name, (labels, _) in self.nodes.items():
            node = {"apiVersion": "v1", "kind": "Node",
                    "metadata": {"name": name, "labels": {**labels, MANAGED_LABEL: "true"}}}
            try:
                self.client.create(kube.path("v1", "nodes"), node)
                log.info("registered node %s %s", name, labels)
            except kube.ApiError as e:
                if e.status != 409:
                    raise
                self.client.merge_patch(kube.path("v1", "nodes", name=name),
                                        {"metadata": {"labels": labels}})
        self.heartbeat(force=True)

    def _node_status(self, address, ready, reason):
        now = now_iso()
        if self.ready_since[0] != ready:
            self.ready_since = (ready, now)
        capacity = {"cpu": "64", "memory": "256Gi", "pods": "110", "ephemeral-storage": "1Ti"}
        return {"status": {
            "capacity": capacity, "allocatable": capacity,
            "addresses": [{"type": "InternalIP", "address": address}],
            "conditions": [{"type": "Ready", "status": ready, "reason": reason,
                            "message": "tributary node agent", "lastHeartbeatTime": now,
                            "lastTransitionTime": self.ready_since[1]}],
            "nodeInfo": {"kubeletVersion": "v1.20.2-tributary-node-agent",
                         "operatingSystem": "linux", "architecture": "amd64",
                         "containerRuntimeVersion": "tributary-process://0", "kernelVersion": "",
                         "osImage": "", "kubeProxyVersion": "", "machineID": "",
                         "systemUUID": "", "bootID": ""}}}

    def heartbeat(self, force=False, ready="True", reason="KubeletReady"):
        if not force and time.time() - self.last_heartbeat < 10:
            return
        self.last_heartbeat = time.time()
        for name, (_, address) in self.nodes.items():
            try:
                self.client.merge_patch(kube.path("v1", "nodes", name=name, subresource="status"),
                                        self._node_status(address, ready, reason))
                self._renew_lease(name)
            except kube.ApiError as e:
                log.warning("heartbeat of node %s failed: %s", name, e)

    def _renew_lease(self, name):
        lease_path = kube.path("coordination.k8s.io/v1", "leases", "kube-node-lease", name)
        spec = {"holderIdentity": name, "leaseDurationSeconds": 40,
                "renewTime": micro_time(time.time())}
        try:
            self.client.merge_patch(lease_path, {"spec": spec})
        except kube.ApiError as e:
            if e.status != 404:
                raise
            self.client.create(kube.path("coordination.k8s.io/v1", "leases", "kube-node-lease"),
                               {"metadata": {"name": name}, "spec": spec})

    # --- scheduling and claims -------------------------------------------------------------

    def _node_objects(self):
        return [{"metadata": {"name": n, "labels": labels}}
                for n, (labels, _) in self.nodes.items()]

    def _claims_of(self, pod):
        return [v["persistentVolumeClaim"]["claimName"]
                for v in pod["spec"].get("volumes", []) if "persistentVolumeClaim" in v]

    def _volume_node(self, pv):
        """The node a node-local PV is pinned to (its required hostname affinity)."""
        terms = (pv.get("spec", {}).get("nodeAffinity", {}).get("required", {})
                 .get("nodeSelectorTerms", []))
        for t in terms:
            for e in t.get("matchExpressions", []):
                if e.get("key") == HOSTNAME_LABEL and e.get("operator") == "In" and e["values"]:
                    return e["values"][0]
        return None

    def _claim_placement(self, pod, pvs):
        """(schedulable, required node) from the pod's claims: a claim bound (or being bound)
        to a node-local volume pins the pod to that node; a missing claim blocks it."""
        ns = pod["metadata"]["namespace"]
        required = None
        for claim in self._claims_of(pod):
            pvc = self.client.get_or_none(kube.path("v1", "persistentvolumeclaims", ns, claim))
            if pvc is None:
                return False, None
            for pv in pvs:
                ref = pv["spec"].get("claimRef", {})
                if ref.get("uid") == pvc["metadata"]["uid"] or \
                        pv["metadata"]["name"] == pvc["spec"].get("volumeName"):
                    node = self._volume_node(pv)
                    if node is not None:
                        if required not in (None, node):
                            return False, None
                        required = node
        return True, required

    def _provision(self, pod, node, pvs):
        """Creates a node-local PV (pre-bound by claimRef) for each of the pod's unbound claims;
        kube-controller-manager's PV binder completes the binding."""
        ns = pod["metadata"]["namespace"]
        taken = {pv["spec"].get("claimRef", {}).get("uid") for pv in pvs}
        for claim in self._claims_of(pod):
            pvc = self.client.get_or_none(kube.path("v1", "persistentvolumeclaims", ns, claim))
            if pvc is None or pvc["spec"].get("volumeName") or pvc["metadata"]["uid"] in taken:
                continue
            name = "pvc-" + pvc["metadata"]["uid"]
            host_dir = os.path.join(self.root, "volumes", name)
            os.makedirs(host_dir, exist_ok=True)
            pv = {"apiVersion": "v1", "kind": "PersistentVolume",
                  "metadata": {"name": name, "labels": {MANAGED_LABEL: "true"}},
                  "spec": {
                      "capacity": {"storage": pvc["spec"].get("resources", {})
                                   .get("requests", {}).get("storage", "1Gi")},
                      "accessModes": pvc["spec"].get("accessModes", ["ReadWriteOnce"]),
                      "persistentVolumeReclaimPolicy": "Retain",
                      "storageClassName": pvc["spec"].get("storageClassName") or "",
                      "hostPath": {"path": host_dir, "type": "DirectoryOrCreate"},
                      "claimRef": {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                                   "namespace": ns, "name": claim,
                                   "uid": pvc["metadata"]["uid"]},
                      "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                          {"key": HOSTNAME_LABEL, "operator": "In", "values": [node]}]}]}}}}
            try:
                self.client.create(kube.path("v1", "persistentvolumes"), pv)
                log.info("provisioned %s for claim %s/%s on node %s", name, ns, claim, node)
            except kube.ApiError as e:
                if e.status != 409:
                    raise

    def schedule(self, pods):
        pending = [p for p in pods if not p["spec"].get("nodeName")
                   and not p["metadata"].get("deletionTimestamp")
                   and p["spec"].get("schedulerName", "default-scheduler") in self.scheduler_names
                   and p.get("status", {}).get("phase", "Pending") == "Pending"]
        if not pending:
            return
        pvs = self.client.get(kube.path("v1", "persistentvolumes"))["items"]
        bound = [p for p in pods if p["spec"].get("nodeName") in self.nodes]
        for pod in sorted(pending, key=lambda p: p["metadata"]["name"]):
            ok, required = self._claim_placement(pod, pvs)
            if not ok:
                continue
            node = scheduler.choose_node(pod, self._node_objects(), bound, required)
            if node is None:
                continue
            meta = pod["metadata"]
            self._provision(pod, node, pvs)
            binding = {"apiVersion": "v1", "kind": "Binding",
                       "metadata": {"name": meta["name"], "uid": meta["uid"]},
                       "target": {"apiVersion": "v1", "kind": "Node", "name": node}}
            try:
                self.client.create(kube.path("v1", "pods", meta["namespace"], meta["name"],
                                             "binding"), binding)
                log.info("bound %s/%s to %s", meta["namespace"], meta["name"], node)
                pod["spec"]["nodeName"] = node
                self.event(pod, "Scheduled", f"Successfully assigned {meta['namespace']}/"
                                             f"{meta['name']} to {node}")
                bound.append(pod)
            except kube.ApiError as e:
                log.warning("binding %s/%s failed: %s", meta["namespace"], meta["name"], e)

    def reclaim(self):
        """Deletes node-local PVs whose claim is gone (Released) and their directories: the
        Delete reclaim policy, done by the agent because nothing else can delete a host dir."""
        if time.time() - self.last_reclaim < 5:
            return
        self.last_reclaim = time.time()
        pvs = self.client.get(kube.path("v1", "persistentvolumes"),
                              query={"labelSelector": MANAGED_LABEL + "=true"})["items"]
        for pv in pvs:
            if pv.get("status", {}).get("phase") != "Released":
                continue
            name = pv["metadata"]["name"]
            self.client.delete(kube.path("v1", "persistentvolumes", name=name))
            shutil.rmtree(os.path.join(self.root, "volumes", name), ignore_errors=True)
            log.info("reclaimed %s", name)

    # --- pods ----------------------------------------------------------------------------

    def sync_pods(self, pods):
        seen = set()
        for pod in pods:
            meta = pod["metadata"]
            node = pod["spec"].get("nodeName")
            if node not in self.nodes:
                continue
            uid = meta["uid"]
            seen.add(uid)
            with self.lock:
                runner = self.runners.get(uid)
                finished = uid in self.finished
            if runner is not None:
                runner.update(pod)
                continue
            if meta.get("deletionTimestamp"):
                # Nothing runs for it (never started, or already ended): finish the deletion.
                try:
                    self.client.delete(kube.path("v1", "pods", meta["namespace"], meta["name"]),
                                       {"gracePeriodSeconds": 0, "preconditions": {"uid": uid}})
                except kube.ApiError as e:
                    log.warning("deleting %s/%s failed: %s", meta["namespace"], meta["name"], e)
                continue
            if finished or pod.get("status", {}).get("phase") in ("Succeeded", "Failed"):
                continue
            runner = PodRunner(self, pod, self._allocate_ip(), self.nodes[node][1])
            with self.lock:
                self.runners[uid] = runner
            runner.start()
        with self.lock:
            vanished = [r for uid, r in self.runners.items() if uid not in seen]
        for r in vanished:
            r.vanish()

    def tick(self):
        self.heartbeat()
        pods = self.client.get(kube.path("v1", "pods"))["items"]
        self.schedule(pods)
        self.sync_pods(pods)
        if self.hosts is not None:
            self.hosts.update(pods, self.client.get(kube.path("v1", "services"))["items"])
        self.reclaim()

    # --- lifetime ------------------------------------------------------------------------

    def owner_alive(self):
        if not self.owner_pid:
            return True
        try:
            os.kill(self.owner_pid, 0)
            return True
        except ProcessLookupError:
            return False
        except PermissionError:
            return True

    def run(self):
        os.makedirs(self.root, exist_ok=True)
        if self.hosts is not None and not self.hosts.start():
            log.warning("no private mount namespaces here (unshare/mount failed): pods "
                        "resolve names with the host's /etc/hosts only")
            self.hosts = None
        try:
            self.register_nodes()
            while not self.stop.is_set():
                if not self.owner_alive():
                    log.info("owner process %d is gone: stopping", self.owner_pid)
                    break
                try:
                    self.tick()
                except kube.ApiError as e:
                    log.warning("sync failed: %s", e)
                except (KeyError, TypeError, ValueError, OSError):
                    # An object of an unexpected shape must not take every pod down with it.
                    log.exception("sync failed")
                self.stop.wait(self.sync_period)
        finally:
            self.shutdown()

    def shutdown(self):
        """Stops every pod's processes (grace capped by --shutdown-grace) and marks the nodes
        not ready; Pod objects stay."""
        log.info("shutting down")
        with self.lock:
            runners = list(self.runners.values())
        for r in runners:
            r.shutdown()
        for r in runners:
            r.join(self.shutdown_grace + 5)
        with self.lock:
            leftovers = list(self.pids)
        for pid in leftovers:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.heartbeat(force=True, ready="Unknown", reason="NodeAgentStopped")
