"""Helpers shared by the consumer-group integration tests (test_groups_*.py).

Standard library plus Debian's python3-confluent-kafka; run with /usr/bin/python3.
"""

import re
import time

from confluent_kafka import Producer

# Test brokers: the first rebalance of a new group does not wait for more members (the test with
# kcat keeps Kafka's default of 3 s to cover that delay), and __consumer_offsets is small.
GROUP_BROKER_CONFIG = {
    "group.initial.rebalance.delay.ms": "0",
    "offsets.topic.num.partitions": "3",
}

# Group APIs and the highest version any of the real clients used here sends (librdkafka 2.0.2,
# kafkajs 2.2.4, kafka-python 2.0.2); every one of them starts at version 0.
GROUP_APIS = {
    8: ("OffsetCommit", 7),
    9: ("OffsetFetch", 7),
    10: ("FindCoordinator", 2),
    11: ("JoinGroup", 5),
    12: ("Heartbeat", 3),
    13: ("LeaveGroup", 3),
    14: ("SyncGroup", 3),
    15: ("DescribeGroups", 4),
    16: ("ListGroups", 4),
    42: ("DeleteGroups", 1),
    47: ("OffsetDelete", 0),
}


def wait_for(probe, timeout, describe, interval=0.1):
    """Calls probe() until it returns something truthy and returns that; after `timeout` seconds
    raises AssertionError with describe() (called then, so it can show the last state)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("not within %.0f s: %s" % (timeout, describe()))
        time.sleep(interval)


def produce_to_partitions(bootstrap, topic, values_by_partition, timeout=60.0):
    """Produces {partition: [value, ...]} with acks=all; returns the delivery errors (empty when
    every value was acknowledged)."""
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 5,
                         "enable.idempotence": True})
    errors = []

    def report(err, msg):
        if err is not None:
            errors.append((msg.partition(), msg.value(), err))

    for partition, values in sorted(values_by_partition.items()):
        for v in values:
            producer.produce(topic, value=v, partition=partition, on_delivery=report)
            producer.poll(0)
    remaining = producer.flush(timeout)
    if remaining:
        errors.append(("unflushed", remaining))
    return errors


_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def metric_samples(text, name):
    """Samples of one metric in Prometheus text format: [(labels dict, float value)]."""
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line.strip())
        if m and m.group(1) == name:
            out.append((dict(_LABEL.findall(m.group(2) or "")), float(m.group(3))))
    return out
