"""confluent-kafka-python: idempotent acks=all producing with every compression codec, read back
by assignment exactly once."""

import random

import ck
import harness

PARTITIONS = 3
MESSAGES = 3000


class ConfluentTest(harness.BrokerTestCase):
    def setUp(self):
        self.broker = self.start_broker()

    def round_trip(self, codec):
        topic = "codec-%s" % codec
        ck.create_topic(self.broker.bootstrap, topic, PARTITIONS)
        rng = random.Random(codec)
        values = [("%s-%06d-%s" % (codec, i, "abc" * rng.randint(1, 60))).encode()
                  for i in range(MESSAGES)]
        keys = [("k%d" % rng.randint(0, 99)).encode() for _ in range(MESSAGES)]
        producer = ck.idempotent_producer(self.broker.bootstrap, **{"compression.type": codec})
        report, remaining = ck.produce_all(producer, topic, values, keys)
        self.assertEqual(remaining, 0, "%s: %d messages still in flight after flush"
                         % (codec, remaining))
        self.assertEqual(report.failed, [], "%s: delivery failures" % codec)
        self.assertEqual(len(report.acked), MESSAGES, "%s: every message acknowledged" % codec)

        records, errors, complete = ck.consume_all(self.broker.bootstrap, topic, PARTITIONS,
                                                   MESSAGES)
        self.assertEqual(errors, [], "%s: consumer errors" % codec)
        self.assertTrue(complete, "%s: the consumer must reach the end of every partition "
                        "(read %d)" % (codec, len(records)))
        got = [(p, o, v) for p, o, _, v in records]
        self.assertEqual(len(got), len(set(v for _, _, v in got)),
                         "%s: a value was read more than once" % codec)
        self.assertEqual(sorted(got), sorted(report.acked),
                         "%s: the log must hold exactly the acknowledged records at their "
                         "acknowledged offsets" % codec)
        key_of = dict(zip(values, keys))
        for _, _, k, v in records:
            self.assertEqual(k, key_of[v], "%s: key of %r" % (codec, v))

    def test_uncompressed_idempotent_batches_round_trip_exactly_once(self):
        self.round_trip("none")

    def test_gzip_idempotent_batches_round_trip_exactly_once(self):
        self.round_trip("gzip")

    def test_snappy_idempotent_batches_round_trip_exactly_once(self):
        self.round_trip("snappy")

    def test_lz4_idempotent_batches_round_trip_exactly_once(self):
        self.round_trip("lz4")

    def test_zstd_idempotent_batches_round_trip_exactly_once(self):
        self.round_trip("zstd")


if __name__ == "__main__":
    harness.main()
