"""kafkajs: admin createTopics + fetchTopicMetadata and a producer, checked by reading back with
kcat. Needs the `node_clients` CTest fixture (setup-node-clients.sh)."""

import json
import os
import subprocess

import harness

PARTITIONS = 3
MESSAGES = 500
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kafkajs_client.js")


class KafkajsTest(harness.BrokerTestCase):
    def test_admin_creates_and_describes_a_topic_and_the_producer_sends(self):
        broker = self.start_broker()
        p = subprocess.run(["node", SCRIPT, broker.bootstrap, "js", str(PARTITIONS),
                            str(MESSAGES)], capture_output=True, timeout=120)
        out = p.stdout.decode(errors="replace")
        self.assertEqual(p.returncode, 0, "kafkajs client failed:\n%s\n%s"
                         % (out, p.stderr.decode(errors="replace")))
        lines = [l for l in out.splitlines() if l.startswith("RESULT ")]
        self.assertEqual(len(lines), 1, "expected one RESULT line:\n%s" % out)
        result = json.loads(lines[0][len("RESULT "):])

        self.assertTrue(result["created"], "createTopics must report the topic as created")
        topics = result["metadata"]["topics"]
        self.assertEqual([t["name"] for t in topics], ["js"], "fetchTopicMetadata: %s" % topics)
        parts = sorted(pm["partitionId"] for pm in topics[0]["partitions"])
        self.assertEqual(parts, list(range(PARTITIONS)), "partitions in metadata")
        for pm in topics[0]["partitions"]:
            self.assertEqual((pm["partitionErrorCode"], pm["leader"]), (0, 1),
                             "partition metadata: %s" % pm)
        self.assertTrue(all(s["errorCode"] == 0 for s in result["sent"]),
                        "send errors: %s" % result["sent"])

        consumed = self.kcat(broker, "-C", "-e", "-t", "js", "-f", "%k=%s\n").stdout.decode()
        got = sorted(consumed.splitlines())
        want = sorted("k%d=kafkajs-%06d" % (i % 13, i) for i in range(MESSAGES))
        self.assertEqual(got, want, "every message kafkajs sent must be read back once")


if __name__ == "__main__":
    harness.main()
