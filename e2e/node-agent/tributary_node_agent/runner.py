"""PodRunner: runs one Pod (one UID) as local processes, from volumes to termination.

One thread per pod. The agent's sync loop hands it newer Pod objects (update), asks it to stop
(deletion, a vanished pod, agent shutdown) and forgets it when the thread ends. Every process
it starts is its own session (process group); it signals only those groups.
"""

import ctypes
import json
import logging
import os
import shutil
import signal
import subprocess
import threading
import time

from . import kube, podspec, probes, volumes

log = logging.getLogger("runner")

_libc = ctypes.CDLL(None, use_errno=True)
_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """In the child before exec: SIGKILL when the agent thread that started it dies."""
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def now_iso(t=None):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t if t is not None else time.time()))


class Container:
    """One container's process and history; owned by its PodRunner thread."""

    def __init__(self, spec, init):
        self.spec = spec
        self.init = init
        self.proc = None
        self.started_at = None
        self.restart_count = 0
        self.state = {"waiting": {"reason": "PodInitializing"}}
        self.last_state = {}
        self.ready = False
        self.started = False
        self.probes = {}
        self.next_start_at = 0.0
        self.backoff = 1.0
        self.done = False  # exited and will not be started again
        self.exit_code = None

    @property
    def name(self):
        return self.spec["name"]

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def status(self):
        s = {"name": self.name, "image": self.spec.get("image", ""), "imageID": "",
             "ready": self.ready, "restartCount": self.restart_count, "state": self.state,
             "lastState": self.last_state}
        if self.proc is not None:
            s["containerID"] = f"tributary://{self.proc.pid}"
        if not self.init:
            s["started"] = self.started
        return s


class PodRunner(threading.Thread):
    """Runs one pod; see the module comment for ownership."""

    def __init__(self, agent, pod, pod_ip, host_ip):
        meta = pod["metadata"]
        super().__init__(name=f"pod-{meta['namespace']}/{meta['name']}", daemon=True)
        self.agent = agent
        self.pod = pod
        self.uid = meta["uid"]
        self.ns = meta["namespace"]
        self.pod_name = meta["name"]
        self.pod_ip = pod_ip
        self.host_ip = host_ip
        self.dir = os.path.join(agent.root, "pods", f"{self.ns}_{self.pod_name}_{self.uid[:8]}")
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.deleting = False
        self.gone = False
        self.shutting_down = False
        spec = pod["spec"]
        self.init_containers = [Container(c, True) for c in spec.get("initContainers", [])]
        self.containers = [Container(c, False) for c in spec.get("containers", [])]
        self.initialized = not self.init_containers
        self.failed = False
        self.message = ""
        self.start_time = now_iso()
        self.transitions = {}
        self.last_status = None
        self.paths = podspec.PathMap([])
        self.volume_dirs = {}
        self.source = volumes.VolumeSource(agent.client, self.ns)

    # --- called by the agent's sync loop ---------------------------------------------------

    def update(self, pod):
        with self.lock:
            self.pod = pod
            if pod["metadata"].get("deletionTimestamp") and not self.deleting:
                self.deleting = True
                self.stop_event.set()

    def vanish(self):
        """The Pod object is gone (force-deleted): stop without touching the API."""
        with self.lock:
            self.gone = True
            self.stop_event.set()

    def shutdown(self):
        """The agent exits: stop every process, leave the Pod object in place."""
        with self.lock:
            self.shutting_down = True
            self.stop_event.set()

    # --- the pod's life ------------------------------------------------------------------

    def run(self):
        try:
            self._live()
        except Exception:  # a bug here must not leave processes behind
            log.exception("%s/%s: runner failed", self.ns, self.pod_name)
        finally:
            try:
                self._terminate()
            except Exception:
                log.exception("%s/%s: termination failed", self.ns, self.pod_name)
                self._kill_all(0)
            self.agent.runner_done(self)

    def _live(self):
        os.makedirs(os.path.join(self.dir, "logs"), exist_ok=True)
        if self.agent.hosts is not None:
            self.agent.hosts.publish(self.pod, self.pod_ip)
        self._report()
        if not self._retry_until_ready(self._prepare_volumes):
            return
        for c in self.init_containers:
            if not self._run_to_completion(c):
                return
        self.initialized = True
        self._report()
        while not self.stop_event.is_set():
            now = time.time()
            for c in self.containers:
                self._supervise(c, now)
            if all(c.done for c in self.containers):
                break
            self._report()
            self.stop_event.wait(0.2)
        self._report()

    def _retry_until_ready(self, step):
        while not self.stop_event.is_set():
            try:
                step()
                return True
            except podspec.ConfigError as e:
                self._set_waiting("ContainerCreating", str(e))
            except kube.ApiError as e:
                self._set_waiting("ContainerCreating", str(e))
            self._report()
            self.stop_event.wait(1.0)
        return False

    def _set_waiting(self, reason, message):
        if message != self.message:
            log.info("%s/%s: waiting: %s", self.ns, self.pod_name, message)
        self.message = message
        for c in self.init_containers + self.containers:
            if "waiting" in c.state:
                c.state = {"waiting": {"reason": reason, "message": message}}

    def _prepare_volumes(self):
        dirs = volumes.volume_dirs(self.pod, self.dir, self.source)
        self.paths = podspec.PathMap(podspec.pod_mounts(self.pod, dirs))
        volumes.fill(self.pod, dirs, self.source, self.paths)
        self.volume_dirs = dirs
        self.message = ""

    # --- processes -----------------------------------------------------------------------

    def _container_env(self, c, mounts):
        env = podspec.container_env(self._pod_view(), c.spec, self.source.configmap_data,
                                    self.source.secret_data)
        env = {k: podspec.bind_pod_address(mounts.rewrite(v), self.pod_ip)
               for k, v in env.items()}
        base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOSTNAME": self.pod_name,
                "HOME": self.dir}
        for mount_path, host in podspec.volume_mounts(c.spec, self.volume_dirs):
            if mount_path.rstrip("/") == volumes.SERVICE_ACCOUNT_DIR:
                base["KUBECONFIG"] = self._write_kubeconfig(host)
        base.update(env)
        return base

    def _write_kubeconfig(self, sa_dir):
        """A kubeconfig with the pod's service-account token: stands in for in-cluster config
        (whose files live at a fixed path the process cannot see)."""
        namespace = self.ns
        if os.path.exists(os.path.join(sa_dir, "namespace")):
            with open(os.path.join(sa_dir, "namespace"), encoding="utf-8") as f:
                namespace = f.read().strip() or self.ns
        config = {
            "apiVersion": "v1", "kind": "Config", "current-context": "pod",
            "clusters": [{"name": "pod", "cluster": {
                "server": self.agent.client.config.server,
                "certificate-authority": os.path.join(sa_dir, "ca.crt")}}],
            "users": [{"name": "pod", "user": {"tokenFile": os.path.join(sa_dir, "token")}}],
            "contexts": [{"name": "pod", "context": {"cluster": "pod", "user": "pod",
                                                    "namespace": namespace}}],
        }
        path = os.path.join(self.dir, "kubeconfig")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(config, f)
        return path

    def _pod_view(self):
        """The pod as the downward API sees it (this runner's address even before the API
        server has stored it)."""
        with self.lock:
            pod = json.loads(json.dumps(self.pod))
        pod.setdefault("status", {})
        pod["status"]["podIP"] = self.pod_ip
        pod["status"]["hostIP"] = self.host_ip
        return pod

    def _start(self, c):
        mounts = podspec.PathMap(podspec.volume_mounts(c.spec, self.volume_dirs))
        env = self._container_env(c, mounts)
        binary = podspec.image_binary(c.spec.get("image", ""), self.agent.images)
        argv = podspec.container_argv(c.spec, binary, env, mounts, pod_ip=self.pod_ip)
        cwd = mounts.rewrite(c.spec["workingDir"]) if c.spec.get("workingDir") else self.dir
        log_path = os.path.join(self.dir, "logs", f"{c.name}-{c.restart_count}.log")
        with open(log_path, "ab") as out:
            c.proc = subprocess.Popen(self._in_pod(argv), env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                                      stdout=out, stderr=subprocess.STDOUT,
                                      start_new_session=True, preexec_fn=_die_with_parent)
        self.agent.track(c.proc.pid)
        c.started_at = time.time()
        c.state = {"running": {"startedAt": now_iso(c.started_at)}}
        c.exit_code = None
        log.info("%s/%s: started %s (pid %d): %s", self.ns, self.pod_name, c.name, c.proc.pid,
                 " ".join(argv))
        self.agent.event(self.pod, "Started", f"Started container {c.name} (pid {c.proc.pid})")
        if not c.init:
            self._arm_probes(c)

    def _arm_probes(self, c):
        cap = self.agent.probe_period_max
        c.probes = {}
        for kind, initial in (("startupProbe", None), ("livenessProbe", True),
                              ("readinessProbe", False)):
            if kind in c.spec:
                c.probes[kind] = probes.ProbeTracker(c.spec[kind], initial, c.started_at, cap)
        c.started = "startupProbe" not in c.probes
        c.ready = False

    def _reap(self, c):
        """Records the exit of a process that ended; returns its exit code."""
        code = c.proc.returncode
        self.agent.untrack(c.proc.pid)
        finished = time.time()
        reason = "Completed" if code == 0 else "Error"
        if code is not None and code < 0:
            reason, code = "Error", 128 - code
        c.exit_code = code
        c.state = {"terminated": {"exitCode": code, "reason": reason,
                                  "startedAt": now_iso(c.started_at),
                                  "finishedAt": now_iso(finished),
                                  "containerID": f"tributary://{c.proc.pid}"}}
        c.ready = False
        log.info("%s/%s: %s exited with %d", self.ns, self.pod_name, c.name, code)
        return code

    def _try_start(self, c):
        try:
            self._start(c)
            self.message = ""
            return True
        except (podspec.ConfigError, OSError, kube.ApiError) as e:
            c.state = {"waiting": {"reason": "CreateContainerConfigError", "message": str(e)}}
            if str(e) != self.message:
                log.warning("%s/%s: cannot start %s: %s", self.ns, self.pod_name, c.name, e)
                self.agent.event(self.pod, "Failed", f"Error: {e}", "Warning")
            self.message = str(e)
            c.next_start_at = time.time() + 1.0
            return False

    def _run_to_completion(self, c):
        """An init container: started (again, with backoff) until it exits 0."""
        policy = self.pod["spec"].get("restartPolicy", "Always")
        while not self.stop_event.is_set():
            if c.proc is None or c.proc.poll() is not None:
                if c.proc is not None:
                    code = self._reap(c)
                    c.proc = None
                    if code == 0:
                        c.done = True
                        self._report()
                        return True
                    if policy == "Never":
                        self.failed = True
                        self._report()
                        return False
                    c.restart_count += 1
                    c.last_state, c.state = c.state, {"waiting": {"reason": "CrashLoopBackOff"}}
                    self._report()
                    self.stop_event.wait(self._next_backoff(c))
                    continue
                if not self._try_start(c):
                    self._report()
                    self.stop_event.wait(1.0)
                    continue
                self._report()
            self.stop_event.wait(0.2)
        return False

    def _next_backoff(self, c):
        delay = c.backoff
        c.backoff = min(c.backoff * 2, self.agent.max_backoff)
        return delay

    def _supervise(self, c, now):
        """A main container: start it, run its probes, restart it per restartPolicy."""
        if c.done:
            return
        if c.proc is None:
            if now >= c.next_start_at:
                self._try_start(c)
            return
        if c.proc.poll() is not None:
            code = self._reap(c)
            policy = self.pod["spec"].get("restartPolicy", "Always")
            if policy == "Never" or (policy == "OnFailure" and code == 0):
                c.done = True
                return
            c.restart_count += 1
            c.last_state = c.state
            c.state = {"waiting": {"reason": "CrashLoopBackOff"}}
            c.next_start_at = now + self._next_backoff(c)
            c.proc = None
            return
        self._probe(c, now)

    def _probe(self, c, now):
        for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
            tracker = c.probes.get(kind)
            if tracker is None or not tracker.due(now):
                continue
            if kind != "startupProbe" and not c.started:
                continue
            if kind == "startupProbe" and c.started:
                continue
            ok, message = probes.run_handler(tracker.spec, self.pod, c.spec, self.pod_ip,
                                             tracker.timeout, lambda cmd, t: self._exec(c, cmd, t))
            before = tracker.result
            result = tracker.record(ok, time.time())
            if not ok:
                log.debug("%s/%s: %s %s failed: %s", self.ns, self.pod_name, c.name, kind, message)
            if kind == "startupProbe" and result is True:
                c.started = True
            elif kind == "readinessProbe":
                c.ready = bool(result)
            elif result is False and before is not False:
                log.info("%s/%s: %s %s failed (%s): restarting", self.ns, self.pod_name, c.name,
                         kind, message)
                self.agent.event(self.pod, "Unhealthy", f"{kind} of {c.name} failed: {message}; "
                                                        "restarting", "Warning")
                self._stop_process(c, int(self.pod["spec"].get("terminationGracePeriodSeconds",
                                                               30)))
                return
        if "readinessProbe" not in c.probes:
            c.ready = c.started

    def _exec(self, c, command, timeout):
        mounts = podspec.PathMap(podspec.volume_mounts(c.spec, self.volume_dirs))
        env = self._container_env(c, mounts)
        binary = podspec.image_binary(c.spec.get("image", ""), self.agent.images)
        argv = podspec.container_argv({"command": command, "image": c.spec.get("image")},
                                      binary, env, mounts, pod_ip=self.pod_ip)
        if not os.path.isabs(argv[0]):
            argv[0] = shutil.which(argv[0]) or argv[0]
        done = subprocess.run(self._in_pod(argv), env=env, cwd=self.dir, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=timeout, start_new_session=True,
                              preexec_fn=_die_with_parent, check=False)
        return done.returncode

    def _in_pod(self, argv):
        """argv as the pod runs it: with the pods' hosts file as /etc/hosts when available."""
        return argv if self.agent.hosts is None else self.agent.hosts.wrap(argv)

    def _stop_process(self, c, grace):
        """SIGTERM to the container's process group, SIGKILL after `grace` seconds."""
        if not c.running():
            return
        self._signal(c, signal.SIGTERM)
        try:
            c.proc.wait(timeout=max(grace, 0))
        except subprocess.TimeoutExpired:
            self._signal(c, signal.SIGKILL)
            c.proc.wait()

    def _signal(self, c, sig):
        try:
            os.killpg(c.proc.pid, sig)
        except ProcessLookupError:
            pass

    def _kill_all(self, grace):
        deadline = time.time() + grace
        running = [c for c in self.init_containers + self.containers if c.running()]
        for c in running:
            self._signal(c, signal.SIGTERM)
        for c in running:
            try:
                c.proc.wait(timeout=max(deadline - time.time(), 0))
            except subprocess.TimeoutExpired:
                self._signal(c, signal.SIGKILL)
                c.proc.wait()
        for c in self.init_containers + self.containers:
            if c.proc is not None and c.proc.returncode is not None and "running" in c.state:
                self._reap(c)

    # --- termination ---------------------------------------------------------------------

    def _grace(self):
        with self.lock:
            pod = self.pod
        spec_grace = int(pod["spec"].get("terminationGracePeriodSeconds", 30))
        grace = int(pod["metadata"].get("deletionGracePeriodSeconds", spec_grace))
        if self.shutting_down or self.gone:
            grace = min(grace, self.agent.shutdown_grace)
        return grace

    def _terminate(self):
        grace = self._grace()
        deadline = time.time() + grace
        if self.deleting and not self.gone:
            self.agent.event(self.pod, "Killing",
                             f"Stopping containers (grace period {grace} s)")
        for c in self.containers:
            c.ready = False
        if not self.gone:
            self._report()
        hooks = [threading.Thread(target=self._pre_stop, args=(c, deadline), daemon=True)
                 for c in self.containers if c.running() and "preStop" in
                 c.spec.get("lifecycle", {})]
        for t in hooks:
            t.start()
        for t in hooks:
            t.join(max(deadline - time.time(), 0))
        self._kill_all(max(deadline - time.time(), 0))
        if self.agent.hosts is not None:
            self.agent.hosts.withdraw(self.pod)
        shutil.rmtree(os.path.join(self.dir, "volumes"), ignore_errors=True)
        if self.gone:
            return
        self._report()
        if self.deleting and not self.shutting_down:
            body = {"gracePeriodSeconds": 0, "preconditions": {"uid": self.uid}}
            try:
                self.agent.client.delete(kube.path("v1", "pods", self.ns, self.pod_name), body)
                log.info("%s/%s: stopped and deleted", self.ns, self.pod_name)
            except kube.ApiError as e:
                log.warning("%s/%s: final delete failed: %s", self.ns, self.pod_name, e)

    def _pre_stop(self, c, deadline):
        handler = c.spec["lifecycle"]["preStop"]
        timeout = max(int(deadline - time.time()), 1)
        ok, message = probes.run_handler(handler, self.pod, c.spec, self.pod_ip, timeout,
                                         lambda cmd, t: self._exec(c, cmd, t))
        log.info("%s/%s: preStop of %s: %s (%s)", self.ns, self.pod_name, c.name,
                 "ok" if ok else "failed", message)
        if not ok:
            self.agent.event(self.pod, "FailedPreStopHook",
                             f"preStop of {c.name} failed: {message}", "Warning")

    # --- status --------------------------------------------------------------------------

    def _phase(self):
        if self.failed:
            return "Failed"
        if self.initialized and self.containers and all(c.done for c in self.containers):
            return "Succeeded" if all(c.exit_code == 0 for c in self.containers) else "Failed"
        if self.initialized and any(c.proc is not None for c in self.containers):
            return "Running"
        return "Pending"

    def _condition(self, kind, ok):
        status = "True" if ok else "False"
        if self.transitions.get(kind, (None,))[0] != status:
            self.transitions[kind] = (status, now_iso())
        return {"type": kind, "status": status, "lastProbeTime": None,
                "lastTransitionTime": self.transitions[kind][1]}

    def _status(self):
        ready = bool(self.containers) and all(c.ready for c in self.containers)
        status = {
            "phase": self._phase(), "podIP": self.pod_ip, "podIPs": [{"ip": self.pod_ip}],
            "hostIP": self.host_ip, "startTime": self.start_time,
            "conditions": [self._condition("PodScheduled", True),
                           self._condition("Initialized", self.initialized),
                           self._condition("ContainersReady", ready),
                           self._condition("Ready", ready)],
            "initContainerStatuses": [c.status() for c in self.init_containers],
            "containerStatuses": [c.status() for c in self.containers],
        }
        status["message"] = self.message or None
        return status

    def _report(self):
        """Writes the pod's status when it changed (merge patch of the status subresource)."""
        status = self._status()
        if status == self.last_status:
            return
        try:
            # metadata.uid is immutable: a pod recreated under the same name refuses the patch.
            self.agent.client.merge_patch(
                kube.path("v1", "pods", self.ns, self.pod_name, "status"),
                {"metadata": {"uid": self.uid}, "status": status})
            self.last_status = status
        except kube.ApiError as e:
            if e.status not in (404, 409, 422):
                log.warning("%s/%s: status update failed: %s", self.ns, self.pod_name, e)
