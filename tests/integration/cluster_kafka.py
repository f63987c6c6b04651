"""Kafka-side helpers for the cluster tests (run with /usr/bin/python3).

Metadata and Produce are sent as raw requests to ONE chosen broker (kafka-python's protocol
classes encode and decode them; harness.py frames them), so a test can ask exactly that broker
what it thinks or make exactly that broker take a write - a client library would follow leaders
and hide which broker answered. Topics are created through confluent-kafka's AdminClient, the
ordinary admin path (it sends CreateTopics to the controller that Metadata names).
"""

import socket
import struct
import time

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient, NewTopic
from kafka.protocol.admin import CreateTopicsRequest, CreateTopicsResponse
from kafka.protocol.metadata import MetadataRequest, MetadataResponse
from kafka.protocol.offset import OffsetRequest, OffsetResponse
from kafka.protocol.produce import ProduceRequest, ProduceResponse
from kafka.record.memory_records import MemoryRecordsBuilder

import fetch_v12
import harness

NONE = 0
LEADER_NOT_AVAILABLE = 5
NOT_LEADER_OR_FOLLOWER = 6
REQUEST_TIMED_OUT = 7
NOT_ENOUGH_REPLICAS = 19
NOT_ENOUGH_REPLICAS_AFTER_APPEND = 20

# Heartbeats and sessions short enough that a killed broker is fenced within a few seconds.
FAST_SESSIONS = {"broker.heartbeat.interval.ms": "250", "broker.session.timeout.ms": "2000"}


def _exchange(host, port, api_key, version, body, timeout):
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        sock.sendall(harness.encode_request(api_key, version, 11, body))
        frame = harness.read_frame(sock)
    if frame[:4] != (11).to_bytes(4, "big"):
        raise ConnectionError("response to the wrong correlation id")
    return frame[4:]


def metadata(broker, topics=None, timeout=5.0):
    """Metadata v5 from this broker: {"brokers": {id: (host, port, rack)}, "controller": id,
    "topics": {name: {"error": code, "partitions": {index: {"error", "leader", "replicas",
    "isr", "offline"}}}}}. Raises OSError when the broker does not answer."""
    request = MetadataRequest[5](topics=topics, allow_auto_topic_creation=False)  # None: all
    raw = _exchange(broker.host, broker.port, 3, 5, request.encode(), timeout)
    r = MetadataResponse[5].decode(raw)
    out = {"brokers": {b[0]: (b[1], b[2], b[3]) for b in r.brokers},
           "controller": r.controller_id, "topics": {}}
    for error, name, _internal, partitions in r.topics:
        out["topics"][name] = {"error": error, "partitions": {
            p[1]: {"error": p[0], "leader": p[2], "replicas": list(p[3]), "isr": list(p[4]),
                   "offline": list(p[5])} for p in partitions}}
    return out


def describe_cluster(broker, timeout=10.0):
    """DescribeCluster v0 (flexible: request header v2) sent to exactly this broker:
    {"error": code, "cluster_id": id, "controller": id, "brokers": {id: (host, port, rack)}}."""
    client = b"cluster-test"
    header = struct.pack(">hhih", 60, 0, 11, len(client)) + client + b"\x00"
    body = b"\x00" + b"\x00"  # include_cluster_authorized_operations=false, no tagged fields
    payload = header + body
    with socket.create_connection((broker.host, broker.port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        sock.sendall(struct.pack(">i", len(payload)) + payload)
        frame = harness.read_frame(sock)
    if frame[:4] != (11).to_bytes(4, "big"):
        raise ConnectionError("response to the wrong correlation id")
    r = fetch_v12.FlexibleReader(frame[4:])
    r.tagged()  # response header
    _throttle, error = r.unpack("ih")
    out = {"error": error}
    r.compact_bytes()  # error_message
    out["cluster_id"] = r.compact_bytes().decode()
    out["controller"] = r.unpack("i")[0]
    out["brokers"] = {}
    for _ in range(r.uvarint() - 1):
        node_id = r.unpack("i")[0]
        host = r.compact_bytes().decode()
        port = r.unpack("i")[0]
        rack = r.compact_bytes()
        out["brokers"][node_id] = (host, port, rack.decode() if rack is not None else None)
        r.tagged()
    return out


def create_topic_at(broker, name, partitions, rf, validate_only=False, timeout=45.0):
    """CreateTopics v1 sent as a raw request to exactly this broker (which forwards it to the
    active controller when it is not that): the topic's error code."""
    request = CreateTopicsRequest[1](create_topic_requests=[(name, partitions, rf, [], [])],
                                     timeout=30000, validate_only=validate_only)
    raw = _exchange(broker.host, broker.port, 19, 1, request.encode(), timeout)
    return CreateTopicsResponse[1].decode(raw).topic_errors[0][1]


def any_metadata(brokers, topics=None):
    """Metadata from the first running broker of `brokers` that answers, else None."""
    for b in brokers:
        if not b.running():
            continue
        try:
            return metadata(b, topics)
        except (OSError, ValueError):
            continue
    return None


EARLIEST = -2
LATEST = -1


def list_offset(host, port, topic, partition, timestamp, timeout=5.0):
    """ListOffsets v1 for one partition, sent to exactly host:port: (error code, offset)."""
    request = OffsetRequest[1](replica_id=-1, topics=[(topic, [(partition, timestamp)])])
    raw = _exchange(host, port, 2, 1, request.encode(), timeout)
    _topic, parts = OffsetResponse[1].decode(raw).topics[0]
    _p, error, _timestamp, offset = parts[0]
    return error, offset


def watermarks(brokers, topic, partition=0, timeout=5.0):
    """(log start, high watermark) of one partition from the leader that Metadata names, by raw
    ListOffsets; None while no leader answers both without an error (a leader killed, an
    election, a hand-over). Every request is bounded by `timeout`: librdkafka's
    get_watermark_offsets keeps retrying a dead leader it has cached, past its own timeout."""
    md = any_metadata(brokers, [topic])
    if md is None or topic not in md["topics"]:
        return None
    state = md["topics"][topic]["partitions"].get(partition)
    if state is None or state["leader"] not in md["brokers"]:
        return None
    host, port, _rack = md["brokers"][state["leader"]]
    try:
        low = list_offset(host, port, topic, partition, EARLIEST, timeout)
        high = list_offset(host, port, topic, partition, LATEST, timeout)
    except (OSError, ValueError):
        return None
    if low[0] != NONE or high[0] != NONE:
        return None
    return low[1], high[1]


def high_watermarks(brokers, topic, partitions, timeout=60.0):
    """{partition: high watermark}, each asked again (watermarks) until its leader answers;
    raises AssertionError when one does not within `timeout`."""
    deadline = time.monotonic() + timeout
    out = {}
    for p in range(partitions):
        while (marks := watermarks(brokers, topic, p)) is None:
            if time.monotonic() > deadline:
                raise AssertionError("no leader of %s-%d answered ListOffsets" % (topic, p))
            time.sleep(0.2)
        out[p] = marks[1]
    return out


def live_broker_count(brokers):
    """How many brokers the first running broker of `brokers` that answers lists in Metadata
    (registered and unfenced); 0 when none answers."""
    md = any_metadata(brokers)
    return len(md["brokers"]) if md else 0


def coordinator_of(broker, group, timeout=5.0):
    """FindCoordinator v0 for a group, asked of exactly this broker: (error code, node id)."""
    key = group.encode()
    raw = _exchange(broker.host, broker.port, 10, 0, struct.pack(">h", len(key)) + key, timeout)
    return struct.unpack(">hi", raw[:6])


def offsets_partition_of(group, partitions):
    """The __consumer_offsets partition of a group: abs(Java String.hashCode) % partitions."""
    h = 0
    for c in group:
        h = (31 * h + ord(c)) & 0xFFFFFFFF
    return (h & 0x7FFFFFFF) % partitions


def partition_state(bootstrap, topic, partition=0):
    """(leader, replicas, isr) of one partition as confluent-kafka's AdminClient sees the
    cluster, or None while unknown."""
    try:
        md = AdminClient({"bootstrap.servers": bootstrap}).list_topics(topic, timeout=5)
    except KafkaException:
        return None
    t = md.topics.get(topic)
    if t is None or t.error is not None or partition not in t.partitions:
        return None
    p = t.partitions[partition]
    return p.leader, list(p.replicas), list(p.isrs)


def partitions_of(md, topic):
    t = md["topics"].get(topic) if md else None
    return t["partitions"] if t and t["error"] == NONE else {}


def fully_replicated(md, topic, partitions, rf):
    """Every partition of topic has a leader and rf replicas, all in the ISR."""
    parts = partitions_of(md, topic)
    return len(parts) == partitions and all(
        p["leader"] >= 0 and len(p["replicas"]) == rf and sorted(p["isr"]) == sorted(p["replicas"])
        for p in parts.values())


def settled(md, topic, partitions, rf):
    """fully_replicated(), and every partition led by its preferred replica (the first): a new
    topic's leaders move there about 2 s after creation (auto.leader.rebalance.enable), so a
    test that picks a leader waits for this first."""
    return fully_replicated(md, topic, partitions, rf) and all(
        p["leader"] == p["replicas"][0] for p in partitions_of(md, topic).values())


def replicated_everywhere(brokers, topic, partitions, rf):
    """fully_replicated() in the Metadata of every running broker (a restarted broker answers
    Metadata before its cache has caught up with the quorum; clients may ask it first)."""
    running = [b for b in brokers if b.running()]
    try:
        return bool(running) and all(
            fully_replicated(metadata(b, [topic]), topic, partitions, rf) for b in running)
    except (OSError, ValueError):
        return False


def create_topic(bootstrap, name, partitions, rf, config=None, timeout=60.0):
    """CreateTopics through confluent-kafka's AdminClient, retried while the cluster is still
    electing a controller or registering brokers (a retriable error); other errors raise."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    deadline = time.monotonic() + timeout
    while True:
        topic = NewTopic(name, num_partitions=partitions, replication_factor=rf,
                         config=config or {})
        try:
            admin.create_topics([topic], operation_timeout=15)[name].result(30)
            return
        except KafkaException as e:
            err = e.args[0]
            if err.name() == "TOPIC_ALREADY_EXISTS":
                return  # a retry of a create that took effect
            if not err.retriable() and err.name() not in (
                    "NOT_CONTROLLER", "INVALID_REPLICATION_FACTOR") \
                    or time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def record_batch(values):
    """One uncompressed v2 record batch (no producer id) holding values."""
    builder = MemoryRecordsBuilder(magic=2, compression_type=0, batch_size=1 << 20)
    now = int(time.time() * 1000)
    for v in values:
        builder.append(now, None, v, [])
    builder.close()
    return builder.buffer()


def produce_raw(broker, topic, partition, values, acks=-1, timeout_ms=3000):
    """Produce v3 of one batch to exactly this broker: (error code, base offset), or
    (None, None) when no answer came within the request timeout plus 5 s."""
    request = ProduceRequest[3](transactional_id=None, required_acks=acks, timeout=timeout_ms,
                                topics=[(topic, [(partition, record_batch(values))])])
    try:
        raw = _exchange(broker.host, broker.port, 0, 3, request.encode(),
                        timeout_ms / 1000.0 + 5.0)
    except (socket.timeout, ConnectionError):
        return None, None
    r = ProduceResponse[3].decode(raw)
    _topic, parts = r.topics[0]
    _p, error, base_offset, _time = parts[0]
    return error, base_offset
