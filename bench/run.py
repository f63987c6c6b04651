"""`make bench`: broker throughput, latency and CPU cost beside this machine's limits.

Usage: /usr/bin/python3 bench/run.py <build_dir>

Starts its own tributary-broker (through the integration harness: private loopback address, temp
data dir, stopped by pid), runs tributary-loadgen cases against 3-partition topics, reads the
broker's CPU time from /proc/<pid>/stat around each case, measures the machine's disk and
loopback limits in the same run, and prints one table; then the consumer-group cases (end-to-end
latency through a group member, rebalance time of N members joining) in a second table, and the
cluster cases (bench/cluster_cases.py: acks=all at RF=3 on three local brokers, leader failover
time, bench/raft_append) in a third. It never fails on speed; it exits non-zero only when
something could not run at all. The raw figures go to <build_dir>/bench/results.json.
TRIBUTARY_BENCH_ONLY=cluster skips the single-broker and group cases.
"""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
import harness  # noqa: E402  (the broker process manager shared with the integration tests)

PARTITIONS = 3

# (name, loadgen arguments, limit kind). Every case is bounded by --duration-s.
PRODUCE_CASES = [
    ("produce acks=1 100 B", ["--acks", "1", "--size", "100", "--records", "8000000"], "disk"),
    ("produce acks=all 100 B", ["--acks", "all", "--size", "100", "--records", "8000000"], "disk"),
    ("produce acks=1 1 KiB", ["--acks", "1", "--size", "1024", "--records", "1500000"], "disk"),
    ("produce acks=all 1 KiB", ["--acks", "all", "--size", "1024", "--records", "1500000"],
     "disk"),
    ("produce acks=all 100 B @50k/s", ["--acks", "all", "--size", "100", "--records", "200000",
                                       "--rate", "50000"], "fsync"),
]
CONSUME_OF = {"consume 100 B": "produce acks=1 100 B", "consume 1 KiB": "produce acks=1 1 KiB"}
CASE_SECONDS = 8

# Consumer groups. End to end: a paced producer (linger.ms=5, librdkafka's default) and one group
# member in the same process, the latency from produce() to the record's arrival at the member.
E2E_CASES = [
    ("e2e acks=1 100 B @10k/s", ["--acks", "1", "--size", "100", "--rate", "10000"]),
    ("e2e acks=all 100 B @10k/s", ["--acks", "all", "--size", "100", "--rate", "10000"]),
]
# Rebalance: N members subscribe to a new group at once; time until every member holds its share
# of REBALANCE_PARTITIONS partitions. The broker runs with group.initial.rebalance.delay.ms=0; the
# members heartbeat every REBALANCE_HEARTBEAT_MS (how soon a member hears of a rebalance).
REBALANCE_MEMBERS = [1, 4, 16]
REBALANCE_PARTITIONS = 16
REBALANCE_HEARTBEAT_MS = 100
REBALANCE_TRIALS = 5


def log(msg):
    sys.stderr.write("bench: %s\n" % msg)
    sys.stderr.flush()


# ---- machine limits -----------------------------------------------------------------------

def disk_sequential_write(directory):
    """dd with O_DIRECT, 1 MiB blocks, 1 GiB: bytes per second."""
    path = os.path.join(directory, "dd.bin")
    try:
        p = subprocess.run(["dd", "if=/dev/zero", "of=" + path, "bs=1M", "count=1024",
                            "oflag=direct", "conv=fdatasync"], capture_output=True, text=True,
                           timeout=120)
    finally:
        if os.path.exists(path):
            os.unlink(path)
    m = re.search(r"(\d+) bytes .* copied, ([\d.]+) s", p.stderr)
    return int(m.group(1)) / float(m.group(2)) if m else None


def write_fdatasync_latency(directory, seconds=2.0, max_ops=5000):
    """4 KiB append + fdatasync, timed per operation: (p50_ms, p99_ms, ops_per_s)."""
    path = os.path.join(directory, "fsync.bin")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    block = b"\xa5" * 4096
    lat = []
    try:
        start = time.monotonic()
        while time.monotonic() - start < seconds and len(lat) < max_ops:
            t = time.perf_counter()
            os.write(fd, block)
            os.fdatasync(fd)
            lat.append(time.perf_counter() - t)
    finally:
        os.close(fd)
        os.unlink(path)
    lat.sort()
    return (lat[len(lat) // 2] * 1e3, lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1e3,
            len(lat) / sum(lat))


def loopback_tcp(seconds=3):
    """iperf3 over 127.0.0.1, one stream: bits per second. The server is ours; stopped by pid."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(["iperf3", "-s", "-1", "-B", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(50):
            p = subprocess.run(["iperf3", "-c", "127.0.0.1", "-p", str(port), "-t", str(seconds),
                                "-J"], capture_output=True, text=True, timeout=seconds + 30)
            if p.returncode == 0:
                return json.loads(p.stdout)["end"]["sum_received"]["bits_per_second"]
            time.sleep(0.1)
        return None
    finally:
        if server.poll() is None:
            server.terminate()
        server.wait()


# ---- broker cases -------------------------------------------------------------------------

def loadgen(binary, *args, timeout=300):
    p = subprocess.run([binary] + list(args), capture_output=True, text=True, timeout=timeout)
    lines = [line for line in p.stdout.splitlines() if line.startswith("{")]
    if p.returncode != 0 and not lines:
        log("loadgen %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr.strip()[-800:]))
        return None
    result = json.loads(lines[-1]) if lines else None
    if result is not None and p.returncode != 0:
        result["incomplete"] = p.stderr.strip()[-300:]
    return result


def create_topic(lg, bootstrap, topic):
    """CreateTopics with PARTITIONS partitions; on failure the topic is auto-created instead."""
    p = subprocess.run([lg, "create-topic", "--brokers", bootstrap, "--topic", topic,
                        "--partitions", str(PARTITIONS)], capture_output=True, text=True,
                       timeout=60)
    if p.returncode != 0:
        log("create-topic %s failed (auto-creation with num.partitions=%d takes over): %s"
            % (topic, PARTITIONS, p.stderr.strip()))


def run_case(broker, lg, name, args):
    cpu0 = broker.cpu_seconds()
    result = loadgen(lg, *args, timeout=CASE_SECONDS + 200)
    if result is not None:
        result["cpu_seconds"] = broker.cpu_seconds() - cpu0
    log("%s: %s" % (name, json.dumps(result)))
    return result


def run_group_cases(broker, lg):
    results = {}
    for i, (name, args) in enumerate(E2E_CASES):
        topic = "bench-e2e-%d" % i
        create_topic(lg, broker.bootstrap, topic)
        results[name] = run_case(broker, lg, name, ["e2e", "--brokers", broker.bootstrap,
                                                    "--topic", topic, "--duration-s",
                                                    str(CASE_SECONDS)] + args)
    subprocess.run([lg, "create-topic", "--brokers", broker.bootstrap, "--topic",
                    "bench-rebalance", "--partitions", str(REBALANCE_PARTITIONS)],
                   capture_output=True, timeout=60)
    for n in REBALANCE_MEMBERS:
        name = "rebalance %d member%s" % (n, "" if n == 1 else "s")
        results[name] = run_case(broker, lg, name, [
            "rebalance", "--brokers", broker.bootstrap, "--topic", "bench-rebalance",
            "--members", str(n), "--trials", str(REBALANCE_TRIALS), "--heartbeat-ms",
            str(REBALANCE_HEARTBEAT_MS)])
    return results


def run_broker_cases(build_dir, lg):
    os.environ["TRIBUTARY_BROKER"] = os.path.join(build_dir, "broker", "tributary-broker")
    broker = harness.Broker("bench", {"num.partitions": str(PARTITIONS),
                                      "auto.create.topics.enable": "true",
                                      "group.initial.rebalance.delay.ms": "0"})
    results = {}
    try:
        broker.start()
        for i, (name, args, _) in enumerate(PRODUCE_CASES):
            topic = "bench-%d" % i
            create_topic(lg, broker.bootstrap, topic)
            results[name] = run_case(broker, lg, name, ["produce", "--brokers", broker.bootstrap,
                                                        "--topic", topic, "--duration-s",
                                                        str(CASE_SECONDS)] + args)
        for name, source in CONSUME_OF.items():
            topic = "bench-%d" % [c[0] for c in PRODUCE_CASES].index(source)
            produced = results.get(source) or {}
            results[name] = run_case(broker, lg, name, [
                "consume", "--brokers", broker.bootstrap, "--topic", topic, "--records",
                str(produced.get("delivered", 0) + 1000), "--duration-s", str(CASE_SECONDS * 4)])
        results.update(run_group_cases(broker, lg))
        rc = broker.stop()
        if rc != 0:
            log("broker exited %d after SIGTERM" % rc)
    except Exception as e:  # report and go on to print what was measured
        log("broker cases stopped: %s" % e)
    finally:
        log_tail = broker.log_text()[-3000:]
        broker.cleanup()
    return results, log_tail


def run_cluster(build_dir, lg):
    """The cluster cases (bench/cluster_cases.py); {} when they cannot run at all."""
    os.environ["TRIBUTARY_BROKER"] = os.path.join(build_dir, "broker", "tributary-broker")
    try:
        import cluster_cases
        return cluster_cases.run_cluster_cases(
            build_dir, lambda *args: loadgen(lg, *args, timeout=CASE_SECONDS + 200), log)
    except Exception as e:  # a missing client library, a broker that cannot start: report
        log("cluster cases did not run: %s" % e)
        return {}


def print_cluster(results):
    try:
        import cluster_cases
        cluster_cases.print_cluster_table(results, fmt)
    except ImportError as e:
        print("cluster cases did not run: %s" % e)


# ---- report -------------------------------------------------------------------------------

def fmt(v, spec):
    return format(v, spec) if isinstance(v, (int, float)) else "-"


def limit_text(kind, limits, mb_per_s):
    if kind == "disk" and limits.get("disk_bytes_per_s"):
        cap = limits["disk_bytes_per_s"] / 1e6
        return "disk seq write %.0f MB/s: %.0f%%" % (cap, 100 * (mb_per_s or 0) / cap)
    if kind == "net" and limits.get("loopback_bits_per_s"):
        cap = limits["loopback_bits_per_s"] / 8e6
        return "loopback TCP %.0f MB/s: %.0f%%" % (cap, 100 * (mb_per_s or 0) / cap)
    if kind == "fsync" and limits.get("fsync_p50_ms") is not None:
        return "4 KiB write+fdatasync p50 %.2f / p99 %.2f ms" % (limits["fsync_p50_ms"],
                                                                 limits["fsync_p99_ms"])
    return "-"


def print_table(results, limits):
    cores = os.cpu_count()
    head = "%-30s %11s %8s %8s %8s %9s %9s %6s  %s" % (
        "case", "records/s", "MB/s", "p50 ms", "p99 ms", "p99.9 ms", "CPU-s/GB", "cores",
        "limit approached (measured now)")
    print(head)
    print("-" * len(head))
    kinds = {name: kind for name, _, kind in PRODUCE_CASES}
    kinds.update({name: "net" for name in CONSUME_OF})
    for name, kind in kinds.items():
        r = results.get(name)
        if not r:
            print("%-30s %s" % (name, "did not run (see the log above)"))
            continue
        cpu = r.get("cpu_seconds")
        gb = r.get("bytes", 0) / 1e9
        print("%-30s %11s %8s %8s %8s %9s %9s %6s  %s%s" % (
            name, fmt(r.get("records_per_s"), ",.0f"), fmt(r.get("mb_per_s"), ".1f"),
            fmt(r.get("p50_ms"), ".2f"), fmt(r.get("p99_ms"), ".2f"),
            fmt(r.get("p999_ms"), ".2f"), fmt(cpu / gb if cpu is not None and gb else None, ".1f"),
            "%.2f/%d" % (cpu / r["seconds"], cores) if cpu is not None and r.get("seconds") else "-",
            limit_text(kind, limits, r.get("mb_per_s")),
            "  (INCOMPLETE: %s)" % r["incomplete"] if r.get("incomplete") else ""))
    print_group_table(results, limits)
    print_limits(limits)


def print_limits(limits):
    cores = os.cpu_count()
    print()
    print("machine limits, measured in this run:")
    print("  disk sequential write (dd, O_DIRECT, 1 MiB blocks): %s MB/s"
          % fmt((limits.get("disk_bytes_per_s") or 0) / 1e6 or None, ".0f"))
    print("  4 KiB write + fdatasync, one writer: p50 %s ms, p99 %s ms, %s ops/s" % (
        fmt(limits.get("fsync_p50_ms"), ".2f"), fmt(limits.get("fsync_p99_ms"), ".2f"),
        fmt(limits.get("fsync_ops_per_s"), ",.0f")))
    bits = limits.get("loopback_bits_per_s")
    print("  loopback TCP, one stream (iperf3): %s Gbit/s (%s MB/s)"
          % (fmt(bits / 1e9 if bits else None, ".1f"), fmt(bits / 8e6 if bits else None, ".0f")))
    print("  CPU: %d cores (the 'cores' column is broker CPU-seconds per wall second)" % cores)


def print_group_table(results, limits):
    print()
    head = "%-30s %11s %8s %8s %9s %8s  %s" % (
        "consumer-group case", "records/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms",
        "limit approached (measured now)")
    print(head)
    print("-" * len(head))
    for name, _ in E2E_CASES:
        r = results.get(name)
        if not r:
            print("%-30s %s" % (name, "did not run (see the log above)"))
            continue
        print("%-30s %11s %8s %8s %9s %8s  %s%s" % (
            name, fmt(r.get("records_per_s"), ",.0f"), fmt(r.get("p50_ms"), ".2f"),
            fmt(r.get("p99_ms"), ".2f"), fmt(r.get("p999_ms"), ".2f"), fmt(r.get("max_ms"), ".2f"),
            limit_text("fsync", limits, None),
            "  (INCOMPLETE: %s)" % r["incomplete"] if r.get("incomplete") else ""))
    print()
    head = "%-30s %11s %8s %8s %9s %8s  %s" % (
        "rebalance (all join at once)", "partitions", "min ms", "median", "max ms", "assigns",
        "beside")
    print(head)
    print("-" * len(head))
    for n in REBALANCE_MEMBERS:
        name = "rebalance %d member%s" % (n, "" if n == 1 else "s")
        r = results.get(name)
        if not r:
            print("%-30s %s" % (name, "did not run (see the log above)"))
            continue
        print("%-30s %11s %8s %8s %9s %8s  %s%s" % (
            name, r.get("partitions", "-"), fmt(r.get("min_ms"), ".0f"),
            fmt(r.get("median_ms"), ".0f"), fmt(r.get("max_ms"), ".0f"),
            fmt(r.get("assigns_per_member"), ".1f"),
            "heartbeat.interval.ms %d; %s" % (r.get("heartbeat_ms", 0),
                                              limit_text("fsync", limits, None)),
            "  (INCOMPLETE: %s)" % r["incomplete"] if r.get("incomplete") else ""))
    print("(%d trials each; 'assigns' = assignments each member received per trial)"
          % REBALANCE_TRIALS)


def measure_limits():
    limits = {}
    scratch = tempfile.mkdtemp(prefix="tributary-bench-limits-")
    try:
        log("measuring disk sequential write")
        limits["disk_bytes_per_s"] = disk_sequential_write(scratch)
        log("measuring 4 KiB write+fdatasync latency")
        p50, p99, ops = write_fdatasync_latency(scratch)
        limits.update(fsync_p50_ms=p50, fsync_p99_ms=p99, fsync_ops_per_s=ops)
    finally:
        os.rmdir(scratch)
    log("measuring loopback TCP (iperf3)")
    limits["loopback_bits_per_s"] = loopback_tcp()
    return limits


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: bench/run.sh <build_dir>\n")
        return 2
    build_dir = os.path.abspath(sys.argv[1])
    lg = os.path.join(build_dir, "bench", "tributary-loadgen")
    for path in (lg, os.path.join(build_dir, "broker", "tributary-broker")):
        if not os.access(path, os.X_OK):
            sys.stderr.write("bench: %s is missing; build first (make build)\n" % path)
            return 1
    started = time.monotonic()
    limits = measure_limits()
    results, broker_log = {}, ""
    if os.environ.get("TRIBUTARY_BENCH_ONLY") != "cluster":
        results, broker_log = run_broker_cases(build_dir, lg)
    results.update(run_cluster(build_dir, lg))
    print()
    if os.environ.get("TRIBUTARY_BENCH_ONLY") == "cluster":
        print_limits(limits)
    else:
        print_table(results, limits)
    print_cluster(results)
    print("\n(total %.0f s)" % (time.monotonic() - started))
    out = os.path.join(build_dir, "bench", "results.json")
    with open(out, "w") as f:
        json.dump({"limits": limits, "results": results}, f, indent=1)
    if not results:
        sys.stderr.write("bench: no broker case ran; broker log tail:\n%s\n" % broker_log)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
