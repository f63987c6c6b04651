"""What clients see of a three-broker cluster (issue 4, docs/cluster-clients.md): kcat -L on every
broker lists the three brokers and the same controller, and Metadata gives their racks; a
CreateTopics sent to a broker that is not the controller creates an RF=3 topic with 6
partitions (forwarded to the controller) that this broker's Metadata shows as soon as it
answered, and confluent-kafka's AdminClient bootstrapped at that broker alone finds it already
there; its replicas span three distinct brokers and racks in every broker's Metadata.
FindCoordinator on any broker names the leader of the group's __consumer_offsets partition; an
idempotent producer and a group consumer bootstrapped at a non-controller write, read and commit
all 60 records."""

import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster_kafka as kafka  # noqa: E402
import harness  # noqa: E402
from cluster import Cluster  # noqa: E402
from confluent_kafka import Consumer, Producer, TopicPartition  # noqa: E402

RACKS = ["a", "b", "c"]
TOPIC = "client-view"
NONE = 0


def kcat_metadata(broker):
    out = subprocess.run(["kcat", "-b", broker.bootstrap, "-L", "-J", "-m", "10"],
                         capture_output=True, text=True, timeout=30, check=True).stdout
    return json.loads(out)


raw_create = kafka.create_topic_at


class ClusterClientsTest(harness.BrokerTestCase):
    def test_clients_see_every_broker_and_create_through_the_controller(self):
        cluster = Cluster(self, 3, racks=RACKS, extra=kafka.FAST_SESSIONS).start()

        def agreed():
            views = [kafka.metadata(b) for b in cluster.brokers]
            return all(len(v["brokers"]) == 3 and v["controller"] == views[0]["controller"] >= 1
                       for v in views)
        cluster.wait_for(agreed, what="every broker listing 3 brokers and one controller")

        controllers = set()
        for node_id, b in enumerate(cluster.brokers, start=1):
            md = kcat_metadata(b)
            ids = sorted(x["id"] for x in md["brokers"])
            print("kcat -L on broker %d: brokers %s controller %s" % (node_id, ids,
                                                                    md["controllerid"]))
            self.assertEqual(ids, [1, 2, 3])
            controllers.add(md["controllerid"])
            racks = {i: rack for i, (_, _, rack) in kafka.metadata(b)["brokers"].items()}
            self.assertEqual(racks, {1: "a", 2: "b", 3: "c"})
        self.assertEqual(len(controllers), 1, "every broker must name the same controller")
        controller = controllers.pop()
        other = next(b for i, b in enumerate(cluster.brokers, start=1) if i != controller)

        self.assertEqual(raw_create(other, TOPIC, 6, 3), NONE)
        self.assertEqual(len(kafka.partitions_of(kafka.metadata(other, [TOPIC]), TOPIC)), 6,
                         "the broker that took the CreateTopics shows the topic when it answers")
        kafka.create_topic(other.bootstrap, TOPIC, 6, 3)  # TOPIC_ALREADY_EXISTS: returns
        cluster.wait_for(lambda: all(len(kafka.partitions_of(kafka.metadata(b, [TOPIC]), TOPIC))
                                     == 6 for b in cluster.brokers),
                         what="every broker's Metadata showing the 6 partitions")
        for b in cluster.brokers:
            md = kafka.metadata(b, [TOPIC])
            for index, p in sorted(kafka.partitions_of(md, TOPIC).items()):
                self.assertEqual(sorted(p["replicas"]), [1, 2, 3],
                                 "partition %d: replicas %s" % (index, p["replicas"]))
                self.assertEqual(sorted(md["brokers"][r][2] for r in p["replicas"]), RACKS)

        # Every broker names the same coordinator: the leader of the group's __consumer_offsets
        # partition (created by the first FindCoordinator).
        def one_coordinator():
            answers = {kafka.coordinator_of(b, "some-group") for b in cluster.brokers}
            return len(answers) == 1 and answers.pop()[0] == NONE
        cluster.wait_for(one_coordinator, what="every broker naming one coordinator")
        coordinator = kafka.coordinator_of(other, "some-group")[1]
        offsets = kafka.partitions_of(kafka.metadata(other, ["__consumer_offsets"]),
                                      "__consumer_offsets")
        self.assertEqual(coordinator,
                         offsets[kafka.offsets_partition_of("some-group", len(offsets))]["leader"])

        # An idempotent acks=all producer and a group consumer, bootstrapped at a non-controller.
        producer = Producer({"bootstrap.servers": other.bootstrap, "enable.idempotence": True})
        for i in range(60):
            producer.produce(TOPIC, value=b"v%d" % i, key=b"k%d" % i)
        self.assertEqual(producer.flush(60), 0, "every record acknowledged")
        del producer  # closed before the brokers stop
        consumer = Consumer({"bootstrap.servers": other.bootstrap, "group.id": "readers",
                             "auto.offset.reset": "earliest", "enable.auto.commit": False})
        self.addCleanup(consumer.close)
        consumer.subscribe([TOPIC])
        seen = set()
        deadline = time.monotonic() + 60
        while len(seen) < 60 and time.monotonic() < deadline:
            m = consumer.poll(0.5)
            if m is not None and not m.error():
                seen.add(m.value())
        self.assertEqual(seen, {b"v%d" % i for i in range(60)})
        consumer.commit(asynchronous=False)
        committed = consumer.committed([TopicPartition(TOPIC, p) for p in range(6)], timeout=10)
        self.assertEqual(sum(tp.offset for tp in committed), 60)


if __name__ == "__main__":
    harness.main()
