"""Restart: after SIGTERM (exit code 0) and a restart on the same data directory, the broker
serves all data again, keeps its topics, and appends after the old log end."""

import json

import ck
import cluster_kafka as kafka
import harness

PARTITIONS = 3


class RestartTest(harness.BrokerTestCase):
    def produce(self, broker, first, count):
        producer = ck.idempotent_producer(broker.bootstrap)
        values = [b"restart-%06d" % i for i in range(first, first + count)]
        report, remaining = ck.produce_all(producer, "durable", values)
        self.assertEqual((remaining, report.failed), (0, []), "production must succeed")
        return report.acked

    def read_back(self, broker, acked):
        records, errors, complete = ck.consume_all(broker.bootstrap, "durable", PARTITIONS,
                                                   len(acked))
        self.assertEqual(errors, [], "consumer errors")
        self.assertTrue(complete, "the consumer must reach the end of every partition")
        self.assertEqual(sorted((p, o, v) for p, o, _, v in records), sorted(acked),
                         "the log must hold exactly the acknowledged records")

    def test_sigterm_then_restart_serves_all_data_and_appends_after_it(self):
        broker = self.start_broker()
        ck.create_topic(broker.bootstrap, "durable", PARTITIONS)
        acked = self.produce(broker, 0, 5000)
        before = kafka.high_watermarks([broker], "durable", PARTITIONS)

        self.assertEqual(broker.stop(), 0, "SIGTERM must stop the broker with exit code 0")
        broker.restart()
        meta = json.loads(self.kcat(broker, "-L", "-J", "-t", "durable").stdout)
        parts = [p["partition"] for t in meta["topics"] if t["topic"] == "durable"
                 for p in t["partitions"]]
        self.assertEqual(sorted(parts), list(range(PARTITIONS)),
                         "the topic and its partitions must survive a restart: %s" % meta)
        self.assertEqual(kafka.high_watermarks([broker], "durable", PARTITIONS), before,
                         "high watermarks must be the same after a clean restart")
        self.read_back(broker, acked)

        more = self.produce(broker, 5000, 1000)
        for p, o, _ in more:
            self.assertGreaterEqual(o, before[p], "new records must go after the old log end")
        self.assertEqual(broker.stop(), 0, "second SIGTERM must exit 0")
        broker.restart()
        self.read_back(broker, acked + more)


if __name__ == "__main__":
    harness.main()
