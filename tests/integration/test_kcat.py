"""kcat (librdkafka) against a real broker: metadata, and 100k keyed messages round-tripped."""

import json
import random

import harness

PARTITIONS = 4
MESSAGES = 100_000
KEYS = 64


class KcatTest(harness.BrokerTestCase):
    def setUp(self):
        self.broker = self.start_broker({"auto.create.topics.enable": "true",
                                         "num.partitions": str(PARTITIONS)})

    def test_metadata_lists_the_broker_and_an_auto_created_topic(self):
        self.kcat(self.broker, "-P", "-t", "listed", stdin=b"hello\n")
        meta = json.loads(self.kcat(self.broker, "-L", "-J").stdout)
        brokers = [(b["id"], b["name"]) for b in meta["brokers"]]
        self.assertEqual(brokers, [(1, self.broker.bootstrap)],
                         "kcat -L must list exactly broker 1 at its advertised address")
        topics = {t["topic"]: t for t in meta["topics"]}
        self.assertIn("listed", topics, "the auto-created topic must be listed: %s" % meta)
        parts = sorted(p["partition"] for p in topics["listed"]["partitions"])
        self.assertEqual(parts, list(range(PARTITIONS)),
                         "an auto-created topic gets num.partitions partitions")
        for p in topics["listed"]["partitions"]:
            self.assertEqual(p["leader"], 1, "broker 1 leads every partition: %s" % p)

    def test_keyed_messages_come_back_complete_and_in_per_key_order(self):
        rng = random.Random(1234)
        keys = ["key-%02d" % i for i in range(KEYS)]
        next_seq = {k: 0 for k in keys}
        lines = []
        for _ in range(MESSAGES):
            k = rng.choice(keys)
            lines.append("%s\t%s:%d:%s" % (k, k, next_seq[k], "x" * rng.randint(0, 40)))
            next_seq[k] += 1
        self.kcat(self.broker, "-P", "-t", "keyed", "-K", "\t",
                  stdin=("\n".join(lines) + "\n").encode(), timeout=300)

        out = self.kcat(self.broker, "-C", "-e", "-t", "keyed", "-f", "%p\t%o\t%k\t%s\n",
                        timeout=300).stdout.decode()
        records = [line.split("\t") for line in out.splitlines() if line]
        self.assertEqual(len(records), MESSAGES, "every produced message must be consumed once")

        offsets = {}
        key_partition = {}
        seen = {k: [] for k in keys}
        for part, off, key, value in records:
            offsets.setdefault(int(part), []).append(int(off))
            self.assertEqual(key_partition.setdefault(key, part), part,
                             "all messages of %s must be in one partition" % key)
            vkey, seq, _ = value.split(":")
            self.assertEqual(vkey, key, "value %r came back with key %r" % (value, key))
            seen[key].append(int(seq))
        for part, offs in offsets.items():
            self.assertEqual(offs, list(range(len(offs))),
                             "partition %d offsets must be 0..n-1 in order" % part)
        for k in keys:
            self.assertEqual(seen[k], list(range(next_seq[k])),
                             "messages of %s must be complete and in produce order" % k)
        self.assertGreater(len(offsets), 1, "keys must spread over several partitions")


if __name__ == "__main__":
    harness.main()
