"""Topic changes reach the active controller from any broker (docs/cluster-clients.md,
"Forwarding to the controller"). Three brokers; for each broker that is not the controller:

- CreateTopics, CreatePartitions, IncrementalAlterConfigs and DeleteTopics sent as raw requests
  to exactly that broker succeed, and that same broker's Metadata shows each change as soon as
  it answered (it waits for its own metadata cache); validate_only changes nothing;
- confluent-kafka's AdminClient bootstrapped only at that broker creates a topic, adds
  partitions, alters a config and deletes a topic (librdkafka sends the topic requests to the
  controller Metadata names and AlterConfigs to any broker, so this is the ordinary client
  path, not a forwarding proof on its own; confluent-kafka 1.7 has no incremental_alter_configs,
  so IncrementalAlterConfigs is the raw request above);
- a Metadata request allowing auto-creation, and a confluent-kafka producer bootstrapped only
  at that broker (auto.create.topics.enable is true by default), auto-create new topics.

Then the controller leader is killed with SIGKILL just after (round 1) and just before (round 2)
a raw CreateTopics is sent to another broker: the create answers NONE, or TOPIC_ALREADY_EXISTS
when the killed leader committed it but died before answering and the forwarding broker asked
the next leader again; a client retry after REQUEST_TIMED_OUT answers TOPIC_ALREADY_EXISTS. In
every case every running broker then shows the topic once, with the requested partitions."""

import os
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster_kafka as kafka  # noqa: E402
import harness  # noqa: E402
from cluster import Cluster  # noqa: E402
from confluent_kafka import Producer  # noqa: E402
from confluent_kafka.admin import (AdminClient, ConfigResource, NewPartitions,  # noqa: E402
                                   NewTopic)
from kafka.protocol.admin import (CreatePartitionsRequest, CreatePartitionsResponse,  # noqa: E402
                                  DeleteTopicsRequest, DeleteTopicsResponse,
                                  DescribeConfigsRequest, DescribeConfigsResponse)
from kafka.protocol.metadata import MetadataRequest, MetadataResponse  # noqa: E402

NONE = 0
TOPIC_ALREADY_EXISTS = 36
REQUEST_TIMED_OUT = 7
TOPIC_RESOURCE = 2
SET = 0


raw_create = kafka.create_topic_at


def raw_create_partitions(broker, name, total, validate_only=False):
    request = CreatePartitionsRequest[0](topic_partitions=[(name, (total, None))],
                                         timeout=30000, validate_only=validate_only)
    raw = kafka._exchange(broker.host, broker.port, 37, 0, request.encode(), 45)
    return CreatePartitionsResponse[0].decode(raw).topic_errors[0][1]


def raw_delete(broker, name):
    request = DeleteTopicsRequest[1](topics=[name], timeout=30000)
    raw = kafka._exchange(broker.host, broker.port, 20, 1, request.encode(), 45)
    return DeleteTopicsResponse[1].decode(raw).topic_error_codes[0][1]


def _string(s):
    data = s.encode()
    return struct.pack(">h", len(data)) + data


def raw_incremental_set(broker, topic, key, value, validate_only=False):
    """IncrementalAlterConfigs v0 (api 44) by hand: SET key=value on the topic; the error code."""
    body = struct.pack(">i", 1) + struct.pack(">b", TOPIC_RESOURCE) + _string(topic)
    body += struct.pack(">i", 1) + _string(key) + struct.pack(">b", SET) + _string(value)
    body += struct.pack(">?", validate_only)
    raw = kafka._exchange(broker.host, broker.port, 44, 0, body, 45)
    _throttle, count, error = struct.unpack(">iih", raw[:10])
    assert count == 1
    return error


def topic_config(broker, topic, key):
    """The topic's value of `key` as DescribeConfigs v0 to exactly this broker reports it."""
    request = DescribeConfigsRequest[0](resources=[(TOPIC_RESOURCE, topic, [key])])
    raw = kafka._exchange(broker.host, broker.port, 32, 0, request.encode(), 15)
    resource = DescribeConfigsResponse[0].decode(raw).to_object()["resources"][0]
    for entry in resource["config_entries"]:
        if entry["config_names"] == key:
            return entry["config_value"]
    return None


def auto_create_by_metadata(broker, name):
    """Metadata v5 allowing auto-creation: (topic error, partition count) in that answer."""
    request = MetadataRequest[5](topics=[name], allow_auto_topic_creation=True)
    raw = kafka._exchange(broker.host, broker.port, 3, 5, request.encode(), 45)
    for error, topic, _internal, partitions in MetadataResponse[5].decode(raw).topics:
        if topic == name:
            return error, len(partitions)
    return None, 0


class ClusterForwardingTest(harness.BrokerTestCase):
    def controller(self, cluster):
        md = kafka.any_metadata(cluster.brokers)
        return md["controller"] if md else -1

    def wait_agreed(self, cluster):
        def agreed():
            running = [b for b in cluster.brokers if b.running()]
            try:
                views = [kafka.metadata(b) for b in running]
            except (OSError, ValueError):
                return False
            return all(len(v["brokers"]) == len(running) and
                       v["controller"] == views[0]["controller"] >= 1 for v in views)
        cluster.wait_for(agreed, what="every running broker listing the same controller")
        return self.controller(cluster)

    def partitions_here(self, broker, topic):
        return len(kafka.partitions_of(kafka.metadata(broker, [topic]), topic))

    def check_raw_requests(self, broker, tag):
        topic = "raw-" + tag
        self.assertEqual(raw_create(broker, topic, 2, 3, validate_only=True), NONE)
        self.assertEqual(self.partitions_here(broker, topic), 0, "validate_only creates nothing")
        self.assertEqual(raw_create(broker, topic, 2, 3), NONE)
        self.assertEqual(self.partitions_here(broker, topic), 2, "visible where it was created")
        self.assertEqual(raw_create(broker, topic, 2, 3), TOPIC_ALREADY_EXISTS)
        self.assertEqual(raw_create_partitions(broker, topic, 4, validate_only=True), NONE)
        self.assertEqual(self.partitions_here(broker, topic), 2)
        self.assertEqual(raw_create_partitions(broker, topic, 4), NONE)
        self.assertEqual(self.partitions_here(broker, topic), 4)
        self.assertEqual(raw_incremental_set(broker, topic, "retention.ms", "7777"), NONE)
        self.assertEqual(topic_config(broker, topic, "retention.ms"), "7777")
        self.assertEqual(raw_delete(broker, topic), NONE)
        self.assertNotIn(topic, kafka.metadata(broker)["topics"], "gone where it was deleted")

    def check_admin_client(self, cluster, broker, tag):
        topic = "admin-" + tag
        admin = AdminClient({"bootstrap.servers": broker.bootstrap})
        admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=3)],
                            operation_timeout=30)[topic].result(45)
        admin.create_partitions([NewPartitions(topic, 3)],
                                operation_timeout=30)[topic].result(45)
        resource = ConfigResource(ConfigResource.Type.TOPIC, topic,
                                  set_config={"cleanup.policy": "compact"})
        admin.alter_configs([resource])[resource].result(45)
        # The controller answered these once applied there; this broker follows it shortly.
        cluster.wait_for(lambda: self.partitions_here(broker, topic) == 3 and
                         topic_config(broker, topic, "cleanup.policy") == "compact",
                         what="3 partitions and compaction of %s at broker %s" % (topic, tag))
        admin.delete_topics([topic], operation_timeout=30)[topic].result(45)
        cluster.wait_for(lambda: topic not in kafka.metadata(broker)["topics"],
                         what="%s deleted at broker %s" % (topic, tag))

    def check_auto_creation(self, cluster, broker, tag):
        by_metadata = "auto-md-" + tag
        error, partitions = auto_create_by_metadata(broker, by_metadata)
        self.assertEqual((error, partitions), (NONE, 1), "created and described in one answer")
        by_producer = "auto-produce-" + tag
        producer = Producer({"bootstrap.servers": broker.bootstrap, "acks": "all"})
        for i in range(10):
            producer.produce(by_producer, value=b"v%d" % i)
        self.assertEqual(producer.flush(60), 0, "every record to the auto-created topic acked")
        del producer
        self.assertEqual(self.partitions_here(broker, by_producer), 1)

    def kill_around_create(self, cluster, round_no, kill_first):
        leader = self.wait_agreed(cluster)
        target = next(b for i, b in enumerate(cluster.brokers, start=1) if i != leader)
        topic = "killed-%d" % round_no
        outcome = {}

        def create():
            try:
                outcome["error"] = raw_create(target, topic, 3, 2)
            except OSError as e:
                outcome["error"] = e

        sender = threading.Thread(target=create)
        if kill_first:
            cluster.kill(leader)
            sender.start()
        else:
            sender.start()
            time.sleep(0.005)
            cluster.kill(leader)
        sender.join(60)
        self.assertFalse(sender.is_alive(), "the forwarded create answered")
        error = outcome["error"]
        print("round %d (kill %s the create): CreateTopics answered %s" % (
            round_no, "before" if kill_first else "after", error))
        if error == REQUEST_TIMED_OUT:
            error = raw_create(target, topic, 3, 2)  # the client's retry
            print("round %d: the retry answered %s" % (round_no, error))
            self.assertEqual(error, TOPIC_ALREADY_EXISTS)
        self.assertIn(error, (NONE, TOPIC_ALREADY_EXISTS))
        self.assertEqual(self.partitions_here(target, topic), 3)
        cluster.restart(leader)
        self.wait_agreed(cluster)
        cluster.wait_for(lambda: all(self.partitions_here(b, topic) == 3 for b in cluster.brokers),
                         what="%s with 3 partitions on every broker" % topic)
        for b in cluster.brokers:
            names = [t for t in kafka.metadata(b)["topics"] if t == topic]
            self.assertEqual(names, [topic])

    def test_topic_changes_from_any_broker_reach_the_controller(self):
        cluster = Cluster(self, 3, racks=["a", "b", "c"], extra=kafka.FAST_SESSIONS).start()
        controller = self.wait_agreed(cluster)
        others = [(i, b) for i, b in enumerate(cluster.brokers, start=1) if i != controller]
        self.assertEqual(len(others), 2)
        for node_id, broker in others:
            tag = str(node_id)
            self.check_raw_requests(broker, tag)
            self.check_admin_client(cluster, broker, tag)
            self.check_auto_creation(cluster, broker, tag)
        self.kill_around_create(cluster, 1, kill_first=False)
        self.kill_around_create(cluster, 2, kill_first=True)


if __name__ == "__main__":
    harness.main()
