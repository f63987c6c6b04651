"""Leader failover time, shared by test_cluster_failover.py and bench/run.py.

measure_failover() kills (SIGKILL) the leader of partition 0 while a Production (an idempotent
acks=all producer, cluster_production.py) keeps producing, and measures the time from the kill
until the first record produced after the kill is acknowledged: what a client sees of the
election of a new Raft leader, its report to the controller, the new Metadata and the client's
metadata refresh and retry. Then it restarts the broker and waits until it is back in the ISR.
"""

import time

import cluster_kafka as kafka


def leader_of(cluster, topic, partition=0):
    md = kafka.any_metadata(cluster.brokers, [topic])
    p = kafka.partitions_of(md, topic).get(partition)
    return (p["leader"] if p else -1), (md["controller"] if md else -1)


def measure_failover(cluster, topic, production, partitions=1, timeout=60.0):
    """{"seconds": float or None (no ack within timeout), "victim", "controller", "new_leader"}"""
    victim, controller = leader_of(cluster, topic)
    if victim < 0:
        return {"seconds": None, "victim": victim, "controller": controller, "new_leader": -1}
    t0 = time.monotonic()
    cluster.kill(victim)
    deadline = t0 + timeout
    t1 = None
    while t1 is None and time.monotonic() < deadline:
        time.sleep(0.01)
        t1 = production.first_ack_after(t0)
    new_leader, _ = leader_of(cluster, topic)
    while new_leader in (-1, victim) and time.monotonic() < deadline:
        time.sleep(0.05)  # Metadata follows the new leader's report within a heartbeat or so
        new_leader, _ = leader_of(cluster, topic)
    cluster.restart(victim)
    cluster.wait_for(lambda: kafka.replicated_everywhere(cluster.brokers, topic, partitions, 3),
                     timeout=timeout, what="the restarted broker back in every broker's ISR")
    return {"seconds": t1 - t0 if t1 is not None else None, "victim": victim,
            "controller": controller, "new_leader": new_leader}
