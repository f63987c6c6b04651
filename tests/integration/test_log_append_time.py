"""message.timestamp.type=LogAppendTime with confluent-kafka (run with /usr/bin/python3).

A producer sends records with an old CreateTime timestamp (1000). On a LogAppendTime topic the
broker stamps each batch with its own clock: the delivery report (the Produce response's
log_append_time_ms) and the consumed record both carry (TIMESTAMP_LOG_APPEND_TIME, t) with t
inside the test's wall-clock window, and ListOffsets by timestamp finds the record at t. A
CreateTime topic keeps 1000, until AlterConfigs switches it to LogAppendTime: from then on new
records are stamped, old ones keep their time. On a three-broker cluster the leader stamps the
batch once, before replication: after the leader is killed, the new leader serves the same t.
"""

import os
import sys
import time

from confluent_kafka import (TIMESTAMP_CREATE_TIME, TIMESTAMP_LOG_APPEND_TIME, Consumer,
                             KafkaError, Producer, TopicPartition)
from confluent_kafka.admin import AdminClient, ConfigResource

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ck  # noqa: E402
import cluster_kafka as kafka  # noqa: E402
import harness  # noqa: E402
from cluster import Cluster  # noqa: E402

OLD_TIMESTAMP = 1000
LOG_APPEND_TIME = {"message.timestamp.type": "LogAppendTime"}


def produce_one(bootstrap, topic, value):
    """Produces one record with timestamp OLD_TIMESTAMP (acks=all); returns its delivery
    report's (offset, (timestamp type, timestamp))."""
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 0,
                         "message.timeout.ms": 20000})
    reports = []
    producer.produce(topic, value=value, timestamp=OLD_TIMESTAMP,
                     on_delivery=lambda err, msg: reports.append((err, msg)))
    producer.flush(30)
    if len(reports) != 1 or reports[0][0] is not None:
        raise AssertionError("delivery failed: %r" % [str(e) for e, _ in reports])
    msg = reports[0][1]
    return msg.offset(), msg.timestamp()


def consume(bootstrap, topic, count, timeout=20.0):
    """The first `count` records of partition 0 as (offset, value, (type, timestamp)); retries
    errors that only mean a leadership move."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "log-append-time-unused",
                         "enable.auto.commit": False, "auto.offset.reset": "earliest",
                         "check.crcs": True, "topic.metadata.refresh.interval.ms": 500})
    try:
        consumer.assign([TopicPartition(topic, 0, 0)])
        out = []
        deadline = time.monotonic() + timeout
        while len(out) < count and time.monotonic() < deadline:
            msg = consumer.poll(0.2)
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() != KafkaError._PARTITION_EOF:
                    print("consumer: %s" % msg.error())
                continue
            out.append((msg.offset(), msg.value(), msg.timestamp()))
        return out
    finally:
        consumer.close()


def offset_for_time(bootstrap, topic, timestamp):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "log-append-time-unused"})
    try:
        found = consumer.offsets_for_times([TopicPartition(topic, 0, timestamp)], timeout=10)
        return found[0].offset
    finally:
        consumer.close()


class LogAppendTimeTest(harness.BrokerTestCase):
    def assertStamped(self, ts, before, after, what):
        kind, t = ts
        self.assertEqual(kind, TIMESTAMP_LOG_APPEND_TIME, what + ": a LogAppendTime timestamp")
        self.assertTrue(before <= t <= after,
                        "%s: append time %d outside the window [%d, %d]" % (what, t, before,
                                                                            after))
        return t

    def test_log_append_time_topic_stamps_records_and_create_time_topic_keeps_them(self):
        broker = self.start_broker()
        ck.create_topic(broker.bootstrap, "appended", 1, LOG_APPEND_TIME)
        ck.create_topic(broker.bootstrap, "created", 1)

        before = int(time.time() * 1000)
        offset, reported = produce_one(broker.bootstrap, "appended", b"a")
        after = int(time.time() * 1000)
        t = self.assertStamped(reported, before, after, "delivery report")
        self.assertEqual(consume(broker.bootstrap, "appended", 1), [(offset, b"a", reported)],
                         "the consumer reads the broker's append time, not 1000")
        self.assertEqual(offset_for_time(broker.bootstrap, "appended", t), offset,
                         "ListOffsets by timestamp finds the record at its append time")

        offset, reported = produce_one(broker.bootstrap, "created", b"c")
        self.assertEqual(reported, (TIMESTAMP_CREATE_TIME, OLD_TIMESTAMP))
        self.assertEqual(consume(broker.bootstrap, "created", 1),
                         [(offset, b"c", (TIMESTAMP_CREATE_TIME, OLD_TIMESTAMP))])

        # A config change reaches the running partition: new records are stamped from now on.
        admin = AdminClient({"bootstrap.servers": broker.bootstrap})
        change = ConfigResource("topic", "created", set_config=LOG_APPEND_TIME)
        admin.alter_configs([change])[change].result(30)
        before = int(time.time() * 1000)
        second, reported = produce_one(broker.bootstrap, "created", b"d")
        after = int(time.time() * 1000)
        self.assertStamped(reported, before, after, "delivery report after AlterConfigs")
        self.assertEqual(consume(broker.bootstrap, "created", 2),
                         [(offset, b"c", (TIMESTAMP_CREATE_TIME, OLD_TIMESTAMP)),
                          (second, b"d", reported)])

    def test_replicas_store_the_leaders_stamp(self):
        topic = "appended-rf3"
        cluster = Cluster(self, 3, extra=kafka.FAST_SESSIONS).start()
        cluster.wait_for(lambda: kafka.live_broker_count(cluster.brokers) == 3,
                         what="every broker registered in Metadata")
        kafka.create_topic(cluster.bootstrap, topic, 1, 3, LOG_APPEND_TIME)
        cluster.wait_for(
            lambda: kafka.settled(kafka.any_metadata(cluster.brokers, [topic]), topic, 1, 3),
            what="the partition led by its preferred replica with 3 in-sync replicas")

        before = int(time.time() * 1000)
        offset, reported = produce_one(cluster.bootstrap, topic, b"r")
        after = int(time.time() * 1000)
        self.assertStamped(reported, before, after, "delivery report")
        leader = kafka.partition_state(cluster.bootstrap, topic)[0]

        # acks=all: every in-sync replica holds the batch; the next leader serves its own copy.
        cluster.kill(leader)
        cluster.wait_for(lambda: (kafka.partition_state(cluster.bootstrap, topic) or [-1])[0]
                         not in (-1, leader), what="a new leader")
        print("stamped %d on broker %d; now led by broker %d" % (
            reported[1], leader, kafka.partition_state(cluster.bootstrap, topic)[0]))
        self.assertEqual(consume(cluster.bootstrap, topic, 1), [(offset, b"r", reported)],
                         "the new leader serves the same append time")


if __name__ == "__main__":
    harness.main()
