"""kcat -G (librdkafka's balanced consumer): a group reads every message once, commits, and a
second run of the same group resumes after what the first one read.

This is the one group test that keeps Kafka's default group.initial.rebalance.delay.ms (3 s), so
the delayed first rebalance of a new group is covered by a real client."""

from confluent_kafka import Consumer, TopicPartition

import harness
from ck import create_topic
from cluster_kafka import high_watermarks

PARTITIONS = 4
FIRST = 200
SECOND = 60


class KcatGroupTest(harness.BrokerTestCase):
    def setUp(self):
        # Default group.initial.rebalance.delay.ms on purpose (see the module comment).
        self.broker = self.start_broker({"offsets.topic.num.partitions": "3"})
        create_topic(self.broker.bootstrap, "kg", PARTITIONS)

    def produce(self, values):
        self.kcat(self.broker, "-P", "-t", "kg", "-K", "\t",
                  stdin=("".join("k%d\t%s\n" % (i % 17, v) for i, v in enumerate(values)))
                  .encode())

    def group_consume(self, count):
        """kcat -G reads `count` messages as a member of group kg-group (exits at the end of its
        partitions or after `count`); returns the values read."""
        p = self.kcat(self.broker, "-G", "kg-group", "-X", "auto.offset.reset=earliest",
                      "-X", "session.timeout.ms=6000", "-c", str(count), "-e",
                      "-f", "%s\n", "kg", timeout=90)
        return p.stdout.decode().splitlines()

    def committed(self):
        consumer = Consumer({"bootstrap.servers": self.broker.bootstrap, "group.id": "kg-group",
                             "enable.auto.commit": False})
        try:
            tps = consumer.committed([TopicPartition("kg", p) for p in range(PARTITIONS)], 30)
            return {tp.partition: tp.offset for tp in tps}
        finally:
            consumer.close()

    def test_group_consumer_reads_each_message_once_and_a_rerun_resumes_after_them(self):
        first = ["first-%04d" % i for i in range(FIRST)]
        self.produce(first)
        got = self.group_consume(FIRST)
        self.assertEqual(sorted(got), sorted(first), "kcat -G must read every message once")
        ends = high_watermarks([self.broker], "kg", PARTITIONS)
        self.assertEqual(self.committed(), ends,
                         "kcat commits on close: the group's offsets are the partition ends")

        second = ["second-%04d" % i for i in range(SECOND)]
        self.produce(second)
        got = self.group_consume(SECOND)
        self.assertEqual(sorted(got), sorted(second),
                         "a second run of the group must read exactly the new messages")
        self.assertEqual(self.committed(), high_watermarks([self.broker], "kg",
                                                           PARTITIONS))


if __name__ == "__main__":
    harness.main()
