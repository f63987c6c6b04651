"""Crash safety: an idempotent acks=all producer keeps producing while the broker is killed with
SIGKILL and restarted on the same data directory. Every acknowledged record must be in the log
exactly once at its acknowledged offset, and the whole log must be readable.

TRIBUTARY_CRASH_CYCLES (default 2) sets how many kill/restart cycles run; the `slow` variant
runs more."""

import collections
import os
import threading
import time

import ck
import cluster_kafka as kafka
import harness

PARTITIONS = 3
CYCLES = int(os.environ.get("TRIBUTARY_CRASH_CYCLES", "2"))
MESSAGES = 6000 * (CYCLES + 1)
BURST = 50              # messages per produce burst
BURST_PAUSE_S = 0.005   # pause between bursts: production spans every kill
ACKS_BETWEEN_KILLS = 2000


class Production(threading.Thread):
    """Produces MESSAGES values in paced bursts on its own thread; the Producer is thread-safe."""

    def __init__(self, producer, topic):
        super().__init__(daemon=True)
        self.producer, self.topic = producer, topic
        self.report = ck.Delivery()
        self.values = [b"crash-%07d" % i for i in range(MESSAGES)]
        self.stop = threading.Event()

    def run(self):
        for i, v in enumerate(self.values):
            if self.stop.is_set():
                return
            while True:
                try:
                    self.producer.produce(self.topic, value=v, on_delivery=self.report)
                    break
                except BufferError:
                    self.producer.poll(0.05)
            if i % BURST == BURST - 1:
                self.producer.poll(BURST_PAUSE_S)
        self.producer.poll(0)


class CrashTest(harness.BrokerTestCase):
    def wait_for_acks(self, production, count, timeout=120.0):
        deadline = time.monotonic() + timeout
        while len(production.report.acked) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertGreaterEqual(len(production.report.acked), count,
                                "the producer made no progress (acked %d, failed %d)"
                                % (len(production.report.acked), len(production.report.failed)))

    def test_acknowledged_records_survive_kill_9_exactly_once(self):
        broker = self.start_broker()
        ck.create_topic(broker.bootstrap, "crash", PARTITIONS)
        producer = ck.idempotent_producer(
            broker.bootstrap, **{"linger.ms": 2, "message.timeout.ms": 120000,
                                 "reconnect.backoff.ms": 20, "reconnect.backoff.max.ms": 200})
        production = Production(producer, "crash")
        self.addCleanup(production.stop.set)
        production.start()

        for cycle in range(CYCLES):
            self.wait_for_acks(production, ACKS_BETWEEN_KILLS * (cycle + 1))
            broker.kill()
            broker.restart()
        production.join(300)
        self.assertFalse(production.is_alive(), "the production thread must finish")
        remaining = producer.flush(150)
        self.assertEqual(remaining, 0, "%d messages neither acknowledged nor failed" % remaining)

        acked, failed = production.report.acked, production.report.failed
        self.assertEqual(len(acked) + len(failed), MESSAGES, "one delivery report per message")

        hw = kafka.high_watermarks([broker], "crash", PARTITIONS)
        records, errors, complete = ck.consume_all(broker.bootstrap, "crash", PARTITIONS,
                                                   sum(hw.values()))
        self.assertEqual(errors, [], "the log must be readable without errors")
        self.assertTrue(complete, "the consumer must reach the end of every partition")
        for p in range(PARTITIONS):
            offsets = [o for q, o, _, _ in records if q == p]
            self.assertEqual(offsets, list(range(hw[p])),
                             "partition %d: every offset below the high watermark %d must be "
                             "read once, in order" % (p, hw[p]))

        at = {(p, o): v for p, o, _, v in records}
        values = [v for _, _, _, v in records]
        dupes = sorted(v for v, n in collections.Counter(values).items() if n > 1)
        self.assertEqual(dupes, [], "records stored more than once")
        lost = [(p, o, v) for p, o, v in acked if at.get((p, o)) != v]
        self.assertEqual(lost[:20], [], "%d acknowledged records are not at their acknowledged "
                         "offsets (first 20 shown)" % len(lost))
        self.assertLessEqual(set(values), set(production.values), "unknown values in the log")
        self.assertEqual(failed[:20], [], "%d messages failed delivery although the broker came "
                         "back (first 20 shown)" % len(failed))


if __name__ == "__main__":
    harness.main()
