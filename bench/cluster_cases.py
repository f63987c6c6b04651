"""Cluster cases of `make bench` (issue 4): three local brokers, every one a controller voter,
started through the integration tests' Cluster harness (tests/integration/cluster.py).

- produce acks=all at RF=3 (min.insync.replicas=2) with tributary-loadgen, unpaced and paced:
  throughput, latency p50/p99, and the CPU of all three brokers;
- leader failover: the leader of a one-partition RF=3 topic is killed with SIGKILL while an
  idempotent acks=all producer runs; the time until a record produced after the kill is
  acknowledged (tests/integration/cluster_failover.py), FAILOVER_KILLS times, median;
- bench/raft_append (three Raft nodes in one process): append throughput, commit latency and its
  own failover figure, when built.

Every step is bounded and reports what it could not measure instead of failing.
"""

import os
import re
import statistics
import subprocess
import time

import cluster_kafka as kafka
import harness
from cluster import Cluster
from cluster_failover import measure_failover
from cluster_production import Production

CASE_SECONDS = 8
FAILOVER_KILLS = 3
PRODUCE_CASES = [
    ("cluster acks=all RF=3 100 B", ["--acks", "all", "--size", "100", "--records", "4000000"]),
    ("cluster acks=all RF=3 100 B @20k/s", ["--acks", "all", "--size", "100", "--records",
                                            "200000", "--rate", "20000"]),
]


class BenchCase:
    """What Cluster needs from a test case (start_broker, addCleanup, fail), for the bench.
    cleanup() stops every broker it started (by pid) and runs the cleanups."""

    def __init__(self):
        self.brokers, self._cleanups = [], []

    def start_broker(self, config=None, start=True, admin=False):
        b = harness.Broker("bench-cluster-%d" % (len(self.brokers) + 1), config, admin)
        self.brokers.append(b)
        if start:
            b.start()
        return b

    def addCleanup(self, fn, *args):  # noqa: N802 (unittest's name)
        self._cleanups.append((fn, args))

    def fail(self, msg):
        raise RuntimeError(msg)

    def cleanup(self):
        for fn, args in reversed(self._cleanups):
            fn(*args)
        for b in self.brokers:
            b.cleanup()


def cpu_of(brokers):
    return sum(b.cpu_seconds() for b in brokers if b.running())


def produce_cases(cluster, loadgen):
    results = {}
    for i, (name, args) in enumerate(PRODUCE_CASES):
        topic = "bench-rf3-%d" % i
        kafka.create_topic(cluster.bootstrap, topic, 3, 3, {"min.insync.replicas": "2"})
        cluster.wait_for(lambda t=topic: kafka.settled(
            kafka.any_metadata(cluster.brokers, [t]), t, 3, 3), what="%s replicated" % topic)
        cpu0 = cpu_of(cluster.brokers)
        r = loadgen("produce", "--brokers", cluster.bootstrap, "--topic", topic,
                    "--duration-s", str(CASE_SECONDS), *args)
        if r is not None:
            r["cpu_seconds"] = cpu_of(cluster.brokers) - cpu0
        results[name] = r
    return results


def failover_case(cluster):
    kafka.create_topic(cluster.bootstrap, "bench-failover", 1, 3, {"min.insync.replicas": "2"})
    cluster.wait_for(lambda: kafka.settled(
        kafka.any_metadata(cluster.brokers, ["bench-failover"]), "bench-failover", 1, 3),
        what="bench-failover replicated")
    production = Production(cluster.bootstrap, "bench-failover", "bench")
    production.start()
    trials = []
    try:
        for _ in range(FAILOVER_KILLS):
            if not production.wait_acked(production.acked_count() + 300, 60):
                break
            try:
                trials.append(measure_failover(cluster, "bench-failover", production,
                                               timeout=30))
            except RuntimeError as e:  # the restarted broker did not catch up in time
                trials.append({"seconds": None, "victim": -1, "controller": -1,
                               "error": str(e)[:300]})
                break
    finally:
        production.finish(10)
    seconds = [t["seconds"] for t in trials if t["seconds"] is not None]
    return {"trials": trials, "median_s": statistics.median(seconds) if seconds else None}


def raft_append(build_dir):
    """bench/raft_append's figures (a short run), or None when it is not built or fails."""
    path = os.path.join(build_dir, "bench", "raft_append")
    if not os.access(path, os.X_OK):
        return None
    try:
        p = subprocess.run([path, "--entries", "50000"], capture_output=True, text=True,
                           timeout=120)
    except subprocess.TimeoutExpired:
        return None
    out = {"text": p.stdout.strip()}
    for key, pattern in (("entries_per_s", r"([\d.]+) entries/s"),
                         ("commit_p50_us", r"p50 ([\d.]+)"), ("commit_p99_us", r"p99 ([\d.]+)"),
                         ("failover_ms", r"new leader ready\): ([\d.]+) ms")):
        m = re.search(pattern, p.stdout)
        out[key] = float(m.group(1)) if m else None
    return out if p.returncode == 0 else None


def run_cluster_cases(build_dir, loadgen, log):
    """{case name: figures}; logs and skips what could not run."""
    results = {}
    case = BenchCase()
    try:
        cluster = Cluster(case, 3, extra=kafka.FAST_SESSIONS).start()
        cluster.wait_for(lambda: kafka.live_broker_count(cluster.brokers) == 3,
                         what="three brokers in Metadata")
        results.update(produce_cases(cluster, loadgen))
        started = time.monotonic()
        results["cluster failover"] = failover_case(cluster)
        log("cluster failover: %s (%.0f s)" % (results["cluster failover"],
                                               time.monotonic() - started))
    except Exception as e:  # report and go on with what was measured
        log("cluster cases stopped: %s" % str(e)[-2000:])
    finally:
        case.cleanup()
    results["raft_append"] = raft_append(build_dir)
    return results


def print_cluster_table(results, fmt):
    print()
    head = "%-36s %11s %8s %8s %8s %9s %6s" % ("cluster case (3 brokers, all voters)",
                                               "records/s", "MB/s", "p50 ms", "p99 ms",
                                               "CPU-s/GB", "cores")
    print(head)
    print("-" * len(head))
    for name, _ in PRODUCE_CASES:
        r = results.get(name)
        if not r:
            print("%-36s %s" % (name, "did not run (see the log above)"))
            continue
        cpu, gb = r.get("cpu_seconds"), r.get("bytes", 0) / 1e9
        print("%-36s %11s %8s %8s %8s %9s %6s%s" % (
            name, fmt(r.get("records_per_s"), ",.0f"), fmt(r.get("mb_per_s"), ".1f"),
            fmt(r.get("p50_ms"), ".2f"), fmt(r.get("p99_ms"), ".2f"),
            fmt(cpu / gb if cpu is not None and gb else None, ".1f"),
            "%.2f/%d" % (cpu / r["seconds"], os.cpu_count())
            if cpu is not None and r.get("seconds") else "-",
            "  (INCOMPLETE: %s)" % r["incomplete"] if r.get("incomplete") else ""))
    f = results.get("cluster failover") or {}
    trials = ", ".join("%s s (broker %d%s)" % (fmt(t["seconds"], ".2f"), t["victim"],
                                               ", controller" if t["victim"] == t["controller"]
                                               else "") for t in f.get("trials", []))
    print("failover, kill -9 of the partition leader -> first ack of a record produced after "
          "it: median %s s; trials: %s" % (fmt(f.get("median_s"), ".2f"), trials or "none"))
    ra = results.get("raft_append")
    print("bench/raft_append (3 Raft nodes, one process): %s" % (
        ("\n  " + ra["text"].replace("\n", "\n  ")) if ra else "not built or did not run"))
