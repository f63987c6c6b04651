"""A topic config change reaches the running partitions: after AlterConfigs sets retention.bytes
on a live topic, retention deletes its old segments (the log start offset moves) without a
broker restart."""

import time

from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource

import ck
import harness

TOPIC = "shrinking"


def watermarks(bootstrap):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "watermarks-only"})
    try:
        return consumer.get_watermark_offsets(TopicPartition(TOPIC, 0), timeout=10)
    finally:
        consumer.close()


class LiveTopicConfigTest(harness.BrokerTestCase):
    def test_altered_retention_bytes_deletes_old_segments_without_a_restart(self):
        broker = self.start_broker({"log.retention.check.interval.ms": "100"})
        ck.create_topic(broker.bootstrap, TOPIC, 1, {"segment.bytes": "4096"})
        producer = ck.idempotent_producer(broker.bootstrap, **{"linger.ms": 0})
        acked = 0
        for round_ in range(10):  # ten flushes: many small batches, so many segments
            values = [b"%02d-%04d-" % (round_, i) + b"x" * 190 for i in range(30)]
            report, remaining = ck.produce_all(producer, TOPIC, values)
            self.assertEqual((remaining, report.failed), (0, []), "production must succeed")
            acked += len(report.acked)
        self.assertEqual(watermarks(broker.bootstrap), (0, acked),
                         "nothing is deleted while retention.bytes is unlimited")

        admin = AdminClient({"bootstrap.servers": broker.bootstrap})
        change = ConfigResource("topic", TOPIC,
                                set_config={"segment.bytes": "4096", "retention.bytes": "8192"})
        admin.alter_configs([change])[change].result(30)

        # Retention runs every 100 ms; wait (bounded) for it to act on the new setting.
        low, high = watermarks(broker.bootstrap)
        deadline = time.monotonic() + 60
        while low == 0 and time.monotonic() < deadline:
            time.sleep(0.2)
            low, high = watermarks(broker.bootstrap)
        self.assertGreater(low, 0, "retention.bytes set on the live topic must delete old "
                           "segments without a restart")
        self.assertEqual(high, acked, "retention never removes the newest records")


if __name__ == "__main__":
    harness.main()
