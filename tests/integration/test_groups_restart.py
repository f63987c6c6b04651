"""Committed offsets survive a broker restart (clean SIGTERM and kill -9): a group member commits,
the broker restarts, and the group resumes exactly at the committed offsets (confluent-kafka)."""

from confluent_kafka import Consumer, TopicPartition

import groups_common
import harness
from ck import create_topic

PARTITIONS = 3
PER_PARTITION = 40
GROUP = "resume"


def member(bootstrap):
    return Consumer({"bootstrap.servers": bootstrap, "group.id": GROUP,
                     "enable.auto.commit": False, "auto.offset.reset": "earliest",
                     "session.timeout.ms": 6000, "heartbeat.interval.ms": 500})


class GroupRestartTest(harness.BrokerTestCase):
    def setUp(self):
        self.broker = self.start_broker(groups_common.GROUP_BROKER_CONFIG)
        create_topic(self.broker.bootstrap, "resumed", PARTITIONS)
        self.values = {p: [b"p%d-%03d" % (p, i) for i in range(PER_PARTITION)]
                       for p in range(PARTITIONS)}
        errors = groups_common.produce_to_partitions(self.broker.bootstrap, "resumed",
                                                     self.values)
        self.assertEqual(errors, [], "every produced message must be acknowledged")

    def consume(self, consumer, count, timeout=60.0):
        """Polls until `count` messages arrived: [(partition, offset, value)]."""
        got, errors = [], []

        def more():
            msg = consumer.poll(0.2)
            if msg is not None:
                if msg.error():
                    errors.append(msg.error())
                else:
                    got.append((msg.partition(), msg.offset(), msg.value()))
            return len(got) >= count

        groups_common.wait_for(more, timeout, lambda: "read %d of %d messages, errors %s"
                               % (len(got), count, errors), interval=0)
        self.assertEqual(errors, [], "consumer errors")
        return got

    def commit_some_and_restart(self, restart):
        consumer = member(self.broker.bootstrap)
        consumer.subscribe(["resumed"])
        # Read about half, then commit a different point per partition (not just "what was read").
        self.consume(consumer, PARTITIONS * PER_PARTITION // 2)
        committed = {p: 5 + 7 * p for p in range(PARTITIONS)}
        result = consumer.commit(offsets=[TopicPartition("resumed", p, o)
                                          for p, o in committed.items()], asynchronous=False)
        self.assertEqual(sorted((tp.partition, tp.offset, tp.error) for tp in result),
                         [(p, o, None) for p, o in sorted(committed.items())],
                         "OffsetCommit must acknowledge every partition")
        restart(consumer)
        return committed

    def resume_and_check(self, committed):
        consumer = member(self.broker.bootstrap)
        try:
            fetched = consumer.committed([TopicPartition("resumed", p)
                                          for p in range(PARTITIONS)], 30)
            self.assertEqual({tp.partition: tp.offset for tp in fetched}, committed,
                             "OffsetFetch after the restart must return the committed offsets")
            consumer.subscribe(["resumed"])
            expected = sum(PER_PARTITION - o for o in committed.values())
            got = self.consume(consumer, expected)
            firsts = {}
            for p, offset, _ in got:
                firsts.setdefault(p, offset)
            self.assertEqual(firsts, committed,
                             "the group must resume exactly at each committed offset")
            self.assertEqual(sorted((p, v) for p, _, v in got),
                             sorted((p, v) for p in range(PARTITIONS)
                                    for v in self.values[p][committed[p]:]),
                             "after the restart the group reads exactly the uncommitted rest")
        finally:
            consumer.close()

    def test_offsets_committed_before_a_clean_restart_are_where_the_group_resumes(self):
        def clean(consumer):
            consumer.close()
            self.assertEqual(self.broker.stop(), 0, "SIGTERM must stop the broker cleanly")
            self.broker.restart()

        self.resume_and_check(self.commit_some_and_restart(clean))

    def test_offsets_acknowledged_before_kill_9_are_where_the_group_resumes(self):
        def crash(consumer):
            # kill -9 right after the commit was acknowledged; the member is still in the group.
            self.broker.kill()
            self.broker.restart()
            consumer.close()

        self.resume_and_check(self.commit_some_and_restart(crash))


if __name__ == "__main__":
    harness.main()
