"""Log compaction on a real broker: a cleanup.policy=compact topic written by a real producer
(lz4, keyed, with a tombstone) is compacted by the broker's retention pass: readers see fewer
records, the newest value of every key (at its original offset, CRCs valid), the same high
watermark, and the same newest values after a kill -9 and restart."""

import time

from confluent_kafka import Producer

import ck
import cluster_kafka as kafka
import harness

TOPIC = "compacted"
KEYS = 10
ROUNDS = 12


def newest_per_key(records):
    newest = {}
    for _, offset, key, value in records:
        newest[key] = (offset, value)
    return newest


class CompactionTest(harness.BrokerTestCase):
    def read(self, broker):
        records, errors, complete = ck.consume_all(broker.bootstrap, TOPIC, 1, timeout=60)
        self.assertEqual(errors, [], "reading the compacted topic must not fail (CRC checked)")
        self.assertTrue(complete, "the whole partition must be readable")
        return records

    def test_compacted_topic_keeps_the_newest_value_per_key(self):
        broker = self.start_broker({"log.retention.check.interval.ms": "100"})
        ck.create_topic(broker.bootstrap, TOPIC, 1,
                        {"cleanup.policy": "compact", "segment.bytes": "1024",
                         "min.cleanable.dirty.ratio": "0.01", "delete.retention.ms": "0"})
        producer = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 5,
                             "compression.type": "lz4", "acks": "all"})
        rounds = [([b"key-%d" % k for k in range(KEYS)],
                   [b"round-%02d-key-%d-" % (r, k) + b"x" * 40 for k in range(KEYS)])
                  for r in range(ROUNDS)]
        rounds.append(([b"key-0"], [None]))  # a tombstone for key-0
        rounds.append(([b"last"], [b"the active segment"]))
        produced = 0
        for keys, values in rounds:  # one flush per round: many batches, several segments
            report, remaining = ck.produce_all(producer, TOPIC, values, keys)
            self.assertEqual((remaining, report.failed), (0, []), "production must succeed")
            produced += len(values)
        expected = {b"key-%d" % k: b"round-%02d-key-%d-" % (ROUNDS - 1, k) + b"x" * 40
                    for k in range(1, KEYS)}
        expected[b"last"] = b"the active segment"

        # The retention pass runs every 100 ms; wait (bounded) until it has compacted.
        deadline = time.monotonic() + 60
        records = self.read(broker)
        while len(records) >= produced and time.monotonic() < deadline:
            time.sleep(0.3)
            records = self.read(broker)
        self.assertLess(len(records), produced, "compaction must remove superseded records")
        offsets = [offset for _, offset, _, _ in records]
        self.assertEqual(offsets, sorted(set(offsets)), "offsets stay increasing and unique")
        newest = newest_per_key(records)
        self.assertEqual({k: v for k, (_, v) in newest.items() if v is not None}, expected,
                         "every key keeps its newest value")
        self.assertEqual(newest[b"last"][0], produced - 1, "offsets are never rewritten")
        self.assertEqual(kafka.high_watermarks([broker], TOPIC, 1), {0: produced},
                         "compaction never moves the high watermark")

        self.assertEqual(broker.kill(), -9)  # kill -9: compacted segments were made durable
        broker.restart()
        after = self.read(broker)
        # Compaction may go on meanwhile: it only ever removes records.
        self.assertLessEqual(set(after), set(records), "kill -9 brings nothing back or new")
        self.assertEqual({k: v for k, (_, v) in newest_per_key(after).items() if v is not None},
                         expected, "after kill -9 every key still has its newest value")
        self.assertEqual(kafka.high_watermarks([broker], TOPIC, 1), {0: produced})


if __name__ == "__main__":
    harness.main()
