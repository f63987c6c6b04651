"""Probes as kubelet runs them: a pure result tracker (thresholds, periods) and the three
probe mechanisms (httpGet, tcpSocket, exec)."""

import http.client
import socket
import ssl
import subprocess

from . import podspec


class ProbeTracker:
    """Consecutive-result bookkeeping of one probe of one container run. Pure: the caller
    supplies the clock (`now`, seconds) and the results. Owned by one pod runner thread."""

    def __init__(self, spec, initial, started_at, period_cap=None):
        self.spec = spec
        self.result = initial  # True / False / None (unknown)
        period = int(spec.get("periodSeconds", 10))
        self.period = min(period, period_cap) if period_cap else period
        self.success_threshold = int(spec.get("successThreshold", 1))
        self.failure_threshold = int(spec.get("failureThreshold", 3))
        self.timeout = int(spec.get("timeoutSeconds", 1))
        self.next_at = started_at + int(spec.get("initialDelaySeconds", 0))
        self._successes = 0
        self._failures = 0

    def due(self, now):
        return now >= self.next_at

    def record(self, ok, now):
        """Adds one result; returns the (possibly changed) overall result."""
        self.next_at = now + self.period
        if ok:
            self._successes += 1
            self._failures = 0
            if self._successes >= self.success_threshold:
                self.result = True
        else:
            self._failures += 1
            self._successes = 0
            if self._failures >= self.failure_threshold:
                self.result = False
        return self.result


def http_get(action, pod_ip, port, timeout):
    host = action.get("host") or pod_ip
    headers = {h["name"]: h["value"] for h in action.get("httpHeaders", [])}
    if action.get("scheme", "HTTP").upper() == "HTTPS":
        conn = http.client.HTTPSConnection(host, port, timeout=timeout,
                                           context=ssl._create_unverified_context())
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", action.get("path", "/"), headers=headers)
        status = conn.getresponse().status
        return 200 <= status < 400, f"HTTP {status}"
    except (OSError, http.client.HTTPException) as e:
        return False, str(e)
    finally:
        conn.close()


def tcp_socket(action, pod_ip, port, timeout):
    try:
        with socket.create_connection((action.get("host") or pod_ip, port), timeout=timeout):
            return True, "connected"
    except OSError as e:
        return False, str(e)


def run_handler(handler, pod, container, pod_ip, timeout, run_exec):
    """Runs a probe or lifecycle handler; returns (ok, message). `run_exec(command, timeout)`
    runs an exec action in the container's context and returns its exit code."""
    try:
        if "httpGet" in handler:
            action = handler["httpGet"]
            port = podspec.resolve_port(action.get("port", 80), container, pod)
            return http_get(action, pod_ip, port, timeout)
        if "tcpSocket" in handler:
            action = handler["tcpSocket"]
            port = podspec.resolve_port(action.get("port"), container, pod)
            return tcp_socket(action, pod_ip, port, timeout)
        if "exec" in handler:
            code = run_exec(handler["exec"].get("command", []), timeout)
            return code == 0, f"exit code {code}"
    except podspec.ConfigError as e:
        return False, str(e)
    except (OSError, subprocess.SubprocessError) as e:
        return False, str(e)
    return False, f"unsupported handler {sorted(handler)}"
