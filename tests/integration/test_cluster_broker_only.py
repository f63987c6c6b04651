"""Broker-only nodes (process.roles=broker, node.id not in controller.quorum.voters): five
brokers, of which 1-3 are the controller voters and 4-5 follow the metadata log as learners of
the quorum (docs/raft.md, "Broker-only nodes"). Asserted with real clients:

- every broker, the broker-only ones included, lists all five brokers and the same active
  controller (a voter) in Metadata and DescribeCluster;
- a topic created by a raw CreateTopics sent to a broker-only node (forwarded to the active
  controller) gets replicas and leaders on the broker-only nodes like on any broker;
- confluent-kafka produces with acks=all to every partition and reads every record back;
- a broker-only node leading a __consumer_offsets partition is the coordinator every broker names
  for a group stored there, and that group's committed offsets read back;
- a broker-only node killed with -9 misses a topic created meanwhile; restarted, it serves
  again only once it is registered and unfenced (which needs the metadata log it missed), then
  shows that topic and rejoins the ISRs of its partitions;
- the controller leader killed with -9: the broker-only nodes follow the new controller, keep
  serving produce and fetch, and forward a new topic to it."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ck  # noqa: E402
import cluster_kafka as kafka  # noqa: E402
import harness  # noqa: E402
from cluster import Cluster  # noqa: E402
from confluent_kafka import Consumer, Producer, TopicPartition  # noqa: E402

VOTERS = [1, 2, 3]
BROKER_ONLY = [4, 5]
TOPIC = "observed"
PARTITIONS = 10
RF = 3
NONE = 0
OFFSETS = "__consumer_offsets"
OFFSETS_PARTITIONS = 10


def group_stored_in(partition):
    """A group name whose offsets live in this __consumer_offsets partition."""
    i = 0
    while kafka.offsets_partition_of("group-%d" % i, OFFSETS_PARTITIONS) != partition:
        i += 1
    return "group-%d" % i


class ClusterBrokerOnlyTest(harness.BrokerTestCase):
    def views(self, cluster):
        """(Metadata, DescribeCluster) of every running broker, or None while one does not
        answer."""
        out = {}
        for node_id, b in enumerate(cluster.brokers, start=1):
            if not b.running():
                continue
            try:
                out[node_id] = (kafka.metadata(b), kafka.describe_cluster(b))
            except (OSError, ValueError):
                return None
        return out

    def wait_agreed(self, cluster, expected_brokers, not_controller=None):
        """Every running broker lists `expected_brokers` and one controller, a voter other than
        `not_controller`, in Metadata and DescribeCluster. Returns that controller."""
        def agreed():
            views = self.views(cluster)
            if not views:
                return False
            controllers = set()
            for md, described in views.values():
                if sorted(md["brokers"]) != expected_brokers or described["error"] != NONE or \
                        sorted(described["brokers"]) != expected_brokers:
                    return False
                controllers.update([md["controller"], described["controller"]])
            return len(controllers) == 1 and controllers <= set(VOTERS) - {not_controller}

        cluster.wait_for(agreed, timeout=90, what="every broker listing brokers %s and the same "
                         "voter as controller" % expected_brokers)
        return kafka.any_metadata(cluster.brokers)["controller"]

    def wait_replicated(self, cluster, topic, partitions):
        cluster.wait_for(
            lambda: kafka.replicated_everywhere(cluster.brokers, topic, partitions, RF),
            timeout=90, what="%s fully replicated on every running broker" % topic)

    def produce_and_read_back(self, cluster, topic, partitions, tag):
        """acks=all to every partition through confluent-kafka, then reads every partition from
        the start: each holds exactly the values acknowledged so far (self.acked), in order."""
        producer = Producer({"bootstrap.servers": cluster.bootstrap, "acks": "all",
                             "enable.idempotence": True, "message.timeout.ms": 60000})
        errors = []

        def delivered(err, _msg):
            if err is not None:
                errors.append(err)

        sent = {p: [("%s-%d-%d" % (tag, p, i)).encode() for i in range(20)]
                for p in range(partitions)}
        for p, values in sent.items():
            for v in values:
                producer.produce(topic, v, partition=p, on_delivery=delivered)
        self.assertEqual(producer.flush(90), 0, "records still unacknowledged")
        self.assertEqual(errors, [])

        total = sum(len(v) for v in sent.values()) + sum(len(v) for v in self.acked.values())
        records, errors, complete = ck.consume_all(cluster.bootstrap, topic, partitions,
                                                   expected=total, timeout=90)
        self.assertTrue(complete, "read %d of %d records; errors %s" % (len(records), total, errors))
        for p, values in sent.items():
            self.acked.setdefault(p, []).extend(values)
            read = [r[3] for r in records if r[0] == p]
            self.assertEqual(read, self.acked[p], "partition %d: a record lost, duplicated or "
                             "out of order" % p)

    def check_broker_only_coordinators(self, cluster):
        """For each broker-only node: a group whose __consumer_offsets partition it leads has it
        as coordinator on every broker, and commits through it read back."""
        kafka.coordinator_of(cluster.broker(4), "creates-the-topic")  # the first one creates it
        self.wait_replicated(cluster, OFFSETS, OFFSETS_PARTITIONS)
        for node in BROKER_ONLY:
            led = {}

            def leads_one():
                md = kafka.any_metadata(cluster.brokers, [OFFSETS])
                parts = kafka.partitions_of(md, OFFSETS)
                # Led by its preferred replica: the leader rebalance moves no such leadership.
                mine = [p for p, state in parts.items()
                        if state["leader"] == node and state["replicas"][0] == node]
                led["partition"] = mine[0] if mine else None
                return bool(mine)

            cluster.wait_for(leads_one, timeout=60,
                             what="broker %d leading a %s partition it is the preferred "
                             "replica of" % (node, OFFSETS))
            group = group_stored_in(led["partition"])
            cluster.wait_for(lambda: {kafka.coordinator_of(b, group) for b in cluster.brokers} ==
                             {(NONE, node)}, timeout=60,
                             what="every broker naming broker %d coordinator of %s" % (node, group))
            offsets = [TopicPartition(TOPIC, p, 7 + p) for p in range(PARTITIONS)]
            c = Consumer({"bootstrap.servers": cluster.bootstrap, "group.id": group,
                          "enable.auto.commit": False})
            try:
                c.commit(offsets=offsets, asynchronous=False)
                read = c.committed([TopicPartition(TOPIC, p) for p in range(PARTITIONS)],
                                   timeout=30)
            finally:
                c.close()
            self.assertEqual([(tp.partition, tp.offset, tp.error) for tp in read],
                             [(p, 7 + p, None) for p in range(PARTITIONS)])

    def test_broker_only_nodes_host_replicas_serve_clients_and_follow_the_controller(self):
        self.acked = {}  # partition -> values acknowledged, in order
        extra = dict(kafka.FAST_SESSIONS)
        extra["offsets.topic.num.partitions"] = str(OFFSETS_PARTITIONS)
        cluster = Cluster(self, 5, voters=len(VOTERS), extra=extra)
        cluster.start()  # each broker answers once registered and unfenced by the controller
        all_brokers = VOTERS + BROKER_ONLY
        controller = self.wait_agreed(cluster, all_brokers)

        # A topic created through a broker-only node: forwarded to the active controller.
        self.assertEqual(kafka.create_topic_at(cluster.broker(4), TOPIC, PARTITIONS, RF), NONE)
        self.wait_replicated(cluster, TOPIC, PARTITIONS)

        def placed_on_broker_only():
            md = kafka.metadata(cluster.broker(5), [TOPIC])
            parts = kafka.partitions_of(md, TOPIC).values()
            return all(any(node in p["replicas"] for p in parts) and
                       any(p["leader"] == node for p in parts) for node in BROKER_ONLY)

        cluster.wait_for(placed_on_broker_only, timeout=90,
                         what="replicas and leaders of %s on the broker-only nodes" % TOPIC)
        self.produce_and_read_back(cluster, TOPIC, PARTITIONS, "first")
        self.check_broker_only_coordinators(cluster)

        # kill -9 a broker-only node; a topic is created while it is down.
        cluster.kill(4)
        live = [n for n in all_brokers if n != 4]
        self.wait_agreed(cluster, live)
        self.assertEqual(kafka.create_topic_at(cluster.broker(5), "while-4-down", 4, RF), NONE)
        self.wait_replicated(cluster, "while-4-down", 4)
        # Restarted: it answers only once registered again and unfenced, through the metadata
        # log it missed (or a snapshot of it).
        cluster.restart(4)
        self.wait_agreed(cluster, all_brokers)
        self.wait_replicated(cluster, "while-4-down", 4)
        self.wait_replicated(cluster, TOPIC, PARTITIONS)
        self.produce_and_read_back(cluster, TOPIC, PARTITIONS, "after-restart")

        # kill -9 the controller leader: the broker-only nodes follow the new one.
        cluster.kill(controller)
        live = [n for n in all_brokers if n != controller]
        new_controller = self.wait_agreed(cluster, live, not_controller=controller)
        self.assertNotEqual(new_controller, controller)
        self.assertEqual(kafka.create_topic_at(cluster.broker(5), "after-failover", 3, RF), NONE)

        def created_everywhere():
            running = [cluster.broker(n) for n in live]
            try:
                return all(len(kafka.partitions_of(kafka.metadata(b, ["after-failover"]),
                                                   "after-failover")) == 3 for b in running)
            except (OSError, ValueError):
                return False

        cluster.wait_for(created_everywhere, timeout=90, what="after-failover on every broker")
        self.produce_and_read_back(cluster, TOPIC, PARTITIONS, "after-failover")


if __name__ == "__main__":
    harness.main()
