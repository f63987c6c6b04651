"""Integration-test harness: runs a real tributary-broker process for a test.

Standard library only. A test creates brokers through BrokerTestCase.start_broker(); each broker
gets a private loopback address (127.0.0.x), a free port on it, and its own temporary data
directory. The harness waits until the port accepts and ApiVersions answers, stops the broker with
SIGTERM (checking that it exits 0), kills it with SIGKILL, and restarts it on the same data
directory. Brokers are always cleaned up, also when a test fails or the runner itself dies (the
broker gets SIGKILL through PR_SET_PDEATHSIG). When a test fails, the broker's log is printed.

Environment:
  TRIBUTARY_BROKER    path of the tributary-broker binary (set by CTest)
  TRIBUTARY_KEEP_TMP  when "1", temporary directories are kept for inspection

A broker started with admin=True also serves the HTTP admin API (admin.listeners) on a second
free port of its address; admin_get() reads from it.
"""

import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

READY_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 30.0


def _die_with_parent(cmd):
    """Prefixes cmd so the broker gets SIGKILL when the test process dies (PR_SET_PDEATHSIG via
    util-linux setpriv, which execs the broker: same pid). Avoids preexec_fn, which is unsafe
    while client threads run."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL", "--"] + cmd if setpriv else cmd


def broker_binary():
    path = os.environ.get("TRIBUTARY_BROKER", "")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError(
            "TRIBUTARY_BROKER must name the tributary-broker binary (got %r)" % path)
    return path


def pick_address(seed_text):
    """A private loopback address 127.0.0.x (x from the test name and pid) and a free port on it."""
    rng = random.Random("%s:%d:%f" % (seed_text, os.getpid(), time.time()))
    host = "127.0.0.%d" % rng.randint(2, 254)
    return host, free_port(host)


def free_port(host):
    """A port on host that was free a moment ago (bind to port 0, read it, close)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# Raw Kafka wire helpers (request header v1, non-flexible bodies).

def encode_request(api_key, api_version, correlation_id, body=b"", client_id="harness"):
    cid = client_id.encode()
    header = struct.pack(">hhih", api_key, api_version, correlation_id, len(cid)) + cid
    payload = header + body
    return struct.pack(">i", len(payload)) + payload


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed after %d of %d bytes" % (len(buf), n))
        buf += chunk
    return buf


def read_frame(sock):
    (size,) = struct.unpack(">i", recv_exact(sock, 4))
    if size < 4 or size > 64 * 1024 * 1024:
        raise ConnectionError("implausible response frame size %d" % size)
    return recv_exact(sock, size)


def api_versions(host, port, timeout=5.0):
    """ApiVersions v0 over a fresh connection: {api_key: (min_version, max_version)}."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(encode_request(18, 0, 7))
        frame = read_frame(sock)
    corr, error_code, count = struct.unpack(">ihi", frame[:10])
    if corr != 7:
        raise ConnectionError("ApiVersions answered correlation id %d, sent 7" % corr)
    if error_code != 0:
        raise ConnectionError("ApiVersions v0 answered error code %d" % error_code)
    out = {}
    for i in range(count):
        key, lo, hi = struct.unpack(">hhh", frame[10 + 6 * i:16 + 6 * i])
        out[key] = (lo, hi)
    return out


def wait_closed(sock, timeout=10.0):
    """True when the peer closes (EOF or reset) within timeout; data received is discarded."""
    sock.settimeout(timeout)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if not sock.recv(65536):
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False
    return False


# ---------------------------------------------------------------------------------------------

class BrokerExited(RuntimeError):
    """The broker process ended before it answered ApiVersions."""


class Broker:
    """One broker process and its data directory. Owned by the test that started it; cleanup()
    stops the process (SIGKILL if still running) and removes the directory. Not thread-safe."""

    def __init__(self, name, config=None, admin=False):
        self.name = name
        self.tmp = tempfile.mkdtemp(prefix="tributary-it-%s-" % name)
        self.data_dir = os.path.join(self.tmp, "data")
        os.mkdir(self.data_dir)
        self.log_path = os.path.join(self.tmp, "broker.log")
        self.host, self.port = pick_address(name)
        self.admin = admin
        self.admin_port = free_port(self.host) if admin else None
        self.extra = dict(config or {})
        self.proc = None
        self.starts = 0
        self.final_log = None

    @property
    def bootstrap(self):
        return "%s:%d" % (self.host, self.port)

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def settings(self):
        listener = "PLAINTEXT://%s" % self.bootstrap
        s = {
            "node.id": "1",
            "listeners": listener,
            "advertised.listeners": listener,
            "log.dirs": self.data_dir,
        }
        if self.admin:
            s["admin.listeners"] = "http://%s:%d" % (self.host, self.admin_port)
        s.update(self.extra)
        return s

    def command(self):
        cmd = [broker_binary()]
        for k, v in self.settings().items():
            cmd += ["--set", "%s=%s" % (k, v)]
        return cmd

    def start(self, timeout=READY_TIMEOUT_S):
        """Starts and waits for readiness. The first start retries on a fresh address when the
        port picked was taken meanwhile; restarts keep the address."""
        first = self.starts == 0
        for attempt in range(3):
            try:
                return self._start_once(timeout)
            except BrokerExited:
                if not first or attempt == 2 or "cannot listen" not in self.log_text():
                    raise
                self.host, self.port = pick_address(self.name)
                if self.admin:
                    self.admin_port = free_port(self.host)

    def _start_once(self, timeout):
        assert self.proc is None or self.proc.poll() is not None, "broker already running"
        self.starts += 1
        with open(self.log_path, "ab") as log:
            log.write(("==== harness: start #%d: %s\n" % (self.starts, " ".join(self.command())))
                      .encode())
            log.flush()
            self.proc = subprocess.Popen(_die_with_parent(self.command()), stdout=log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         cwd=self.tmp)
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout=READY_TIMEOUT_S):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            rc = self.proc.poll()
            if rc is not None:
                raise BrokerExited("broker exited with %d before it was ready; log:\n%s"
                                   % (rc, self.log_text()))
            try:
                versions = api_versions(self.host, self.port, timeout=2.0)
                if versions:
                    return versions
                last = "empty ApiVersions"
            except OSError as e:
                last = e
            time.sleep(0.05)
        raise RuntimeError("broker not ready within %.0fs (last: %s); log:\n%s"
                           % (timeout, last, self.log_text()))

    def stop(self, timeout=STOP_TIMEOUT_S):
        """SIGTERM and wait; returns the exit code (the caller asserts it is 0)."""
        self._log_marker("SIGTERM")
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError("broker did not exit within %.0fs of SIGTERM" % timeout)

    def kill(self):
        self._log_marker("SIGKILL")
        self.proc.kill()
        return self.proc.wait()

    def restart(self, timeout=READY_TIMEOUT_S):
        """Starts again on the same address and data directory (after stop() or kill())."""
        return self.start(timeout)

    def admin_get(self, path, timeout=10.0):
        """GET from the admin API: (HTTP status, body text). Needs admin=True."""
        url = "http://%s:%d%s" % (self.host, self.admin_port, path)
        try:
            with urllib.request.urlopen(url, timeout=timeout) as r:
                return r.status, r.read().decode(errors="replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace")

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def cpu_seconds(self):
        """utime + stime of the running broker, from /proc/<pid>/stat."""
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def log_text(self):
        if self.final_log is not None:
            return self.final_log
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def _log_marker(self, what):
        with open(self.log_path, "ab") as log:
            log.write(("==== harness: %s pid %d\n" % (what, self.proc.pid)).encode())

    def cleanup(self):
        if self.running():
            self.proc.kill()
            self.proc.wait()
        self.final_log = self.log_text()
        if os.environ.get("TRIBUTARY_KEEP_TMP") == "1":
            sys.stderr.write("harness: kept %s\n" % self.tmp)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


_live_brokers = []


def _cleanup_all(*_):
    for b in list(_live_brokers):
        b.cleanup()


def _on_sigterm(signum, frame):
    _cleanup_all()
    sys.exit(128 + signum)


class BrokerTestCase(unittest.TestCase):
    """Base class: start_broker() brokers are cleaned up after the test; logs print on failure."""

    def start_broker(self, config=None, start=True, admin=False):
        b = Broker(self.id().rsplit(".", 1)[-1][:40], config, admin)
        _live_brokers.append(b)
        self._brokers.append(b)
        self.addCleanup(self._cleanup_broker, b)
        if start:
            b.start()
        return b

    def _cleanup_broker(self, b):
        b.cleanup()
        _live_brokers.remove(b)

    def run(self, result=None):
        self._brokers = []
        before = len(result.failures) + len(result.errors) if result else 0
        out = super().run(result)
        if result is not None and len(result.failures) + len(result.errors) > before:
            for b in self._brokers:
                sys.stderr.write("\n======== broker log (%s, %s) ========\n%s\n"
                                 % (self.id(), b.bootstrap, b.log_text()))
        return out

    # Shared helpers ---------------------------------------------------------------------------

    def kcat(self, broker, *args, stdin=None, timeout=120, check=True):
        cmd = ["kcat", "-b", broker.bootstrap] + list(args)
        p = subprocess.run(cmd, input=stdin, capture_output=True, timeout=timeout)
        if check and p.returncode != 0:
            self.fail("%s exited %d\nstderr:\n%s" % (" ".join(cmd), p.returncode,
                                                     p.stderr.decode(errors="replace")[-4000:]))
        return p


def main():
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        unittest.main(verbosity=2)
    finally:
        _cleanup_all()


