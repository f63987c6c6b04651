"""A paced idempotent acks=all producer on its own thread, for the cluster tests and the bench.

Production(bootstrap, topic, name) produces values b"<name>-<8-digit counter>" (no key, so the
records spread over the partitions) in bursts until stop(), and records for each message the
time produce() was called and, from its delivery report, partition, offset and the time the
report arrived (the thread polls every few milliseconds, so report times are that precise).
check_log() verifies what the test asserts after the faults: every acknowledged record exactly
once at its offset, and each producer's records in order within every partition.
"""

import collections
import threading
import time

from confluent_kafka import Producer

PRODUCER_CONFIG = {
    "enable.idempotence": True,
    "acks": "all",
    "linger.ms": 5,
    "message.timeout.ms": 120000,
    "retry.backoff.ms": 50,
    "reconnect.backoff.ms": 20,
    "reconnect.backoff.max.ms": 200,
    "topic.metadata.refresh.fast.interval.ms": 100,
}


class Production(threading.Thread):
    """Owns one confluent-kafka Producer; produce() and poll() happen on this thread only until
    stop() joins it; finish() then flushes from the caller's thread."""

    def __init__(self, bootstrap, topic, name, burst=20, pause_s=0.01, **extra):
        super().__init__(daemon=True)
        conf = dict(PRODUCER_CONFIG, **{"bootstrap.servers": bootstrap})
        conf.update(extra)
        self.errors = []  # client-level errors (error_cb), for diagnostics
        conf["error_cb"] = self.errors.append
        self.producer = Producer(conf)
        self.topic, self.name = topic, name
        self.burst, self.pause_s = burst, pause_s
        self.sent_at = []  # index -> time.monotonic() of produce()
        self.acked = []  # (partition, offset, value, report time)
        self.failed = []  # (error, value)
        self._halt = threading.Event()
        self._lock = threading.Lock()

    def value(self, index):
        return b"%s-%08d" % (self.name.encode(), index)

    def _report(self, err, msg):
        now = time.monotonic()
        with self._lock:
            if err is None:
                self.acked.append((msg.partition(), msg.offset(), msg.value(), now))
            else:
                self.failed.append((err, msg.value()))

    def run(self):
        while not self._halt.is_set():
            for _ in range(self.burst):
                index = len(self.sent_at)
                try:
                    self.producer.produce(self.topic, value=self.value(index),
                                          on_delivery=self._report)
                except BufferError:
                    break  # the queue is full (no leader for a while): poll and try again
                self.sent_at.append(time.monotonic())
            self.producer.poll(self.pause_s)

    def acked_count(self):
        with self._lock:
            return len(self.acked)

    def wait_acked(self, count, timeout):
        """True when at least count records are acknowledged within timeout seconds."""
        deadline = time.monotonic() + timeout
        while self.acked_count() < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.acked_count() >= count

    def first_ack_after(self, t0):
        """Report time of the first acknowledged record whose produce() came after t0."""
        prefix = len(self.name) + 1
        with self._lock:
            times = [at for _, _, v, at in self.acked if self.sent_at[int(v[prefix:])] > t0]
        return min(times) if times else None

    def stop(self):
        self._halt.set()
        if self.is_alive():
            self.join(30)

    def finish(self, timeout=120.0):
        """stop(), then flush: the number of messages neither acknowledged nor failed."""
        self.stop()
        return self.producer.flush(timeout)


def check_log(case, productions, records, high_watermarks):
    """Asserts, for records (partition, offset, key, value) read from the beginning of every
    partition up to high_watermarks: offsets contiguous from 0, no value twice, every acked
    value at its acked offset, each producer's values increasing within a partition."""
    for p, hw in high_watermarks.items():
        offsets = [o for q, o, _, _ in records if q == p]
        case.assertEqual(offsets, list(range(hw)), "partition %d: every offset below the high "
                         "watermark %d must be read once, in order" % (p, hw))
    values = [v for _, _, _, v in records]
    dupes = sorted(v for v, n in collections.Counter(values).items() if n > 1)
    case.assertEqual(dupes[:20], [], "records stored more than once (first 20 shown)")
    at = {(p, o): v for p, o, _, v in records}
    for prod in productions:
        lost = [(p, o, v) for p, o, v, _ in prod.acked if at.get((p, o)) != v]
        case.assertEqual(lost[:20], [], "%s: %d acknowledged records are not at their "
                         "acknowledged offsets (first 20 shown)" % (prod.name, len(lost)))
        prefix = prod.name.encode() + b"-"
        for p in high_watermarks:
            seq = [int(v[len(prefix):]) for q, _, _, v in records
                   if q == p and v.startswith(prefix)]
            case.assertEqual(seq, sorted(seq), "%s: partition %d holds its records out of "
                             "order" % (prod.name, p))
        case.assertEqual(prod.failed[:20], [], "%s: %d messages failed delivery (first 20)"
                         % (prod.name, len(prod.failed)))
