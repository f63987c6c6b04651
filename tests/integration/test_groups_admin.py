"""Groups seen through the standard admin clients and the broker's admin API: kafka-python's
KafkaAdminClient (list, describe, offsets, delete) and confluent-kafka's AdminClient (list_groups:
ListGroups + DescribeGroups); consumer lag from /v1/groups, /metrics and OffsetFetch + ListOffsets
is right while a member is behind and zero once it caught up."""

import json

from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient
from kafka import KafkaAdminClient, KafkaConsumer
from kafka import TopicPartition as KTopicPartition
from kafka.errors import NoError, NonEmptyGroupError

import groups_common
import harness
from ck import create_topic

PARTITIONS = 3
PER_PARTITION = 30
BEHIND_AT = {0: 10, 1: 0, 2: 25}  # where the lagging member commits first
TOPIC = "lagged"
GROUP = "lagging"


class GroupAdminTest(harness.BrokerTestCase):
    def setUp(self):
        self.broker = self.start_broker(groups_common.GROUP_BROKER_CONFIG, admin=True)
        create_topic(self.broker.bootstrap, TOPIC, PARTITIONS)
        values = {p: [b"v%d-%02d" % (p, i) for i in range(PER_PARTITION)]
                  for p in range(PARTITIONS)}
        self.assertEqual(groups_common.produce_to_partitions(self.broker.bootstrap, TOPIC,
                                                             values), [])
        self.kadmin = KafkaAdminClient(bootstrap_servers=self.broker.bootstrap,
                                       client_id="it-kafka-python-admin")
        self.addCleanup(self.kadmin.close)

    # ---- one member ---------------------------------------------------------------------------

    def join_member(self):
        consumer = Consumer({"bootstrap.servers": self.broker.bootstrap, "group.id": GROUP,
                             "client.id": "lag-member", "enable.auto.commit": False,
                             "auto.offset.reset": "earliest", "session.timeout.ms": 6000,
                             "heartbeat.interval.ms": 500})
        consumer.subscribe([TOPIC])

        def assigned():
            consumer.poll(0.1)  # serves the rebalance; the messages read are not committed
            return len(consumer.assignment()) == PARTITIONS

        groups_common.wait_for(assigned, 60, lambda: "member assignment %s"
                               % consumer.assignment(), interval=0)
        return consumer

    def commit(self, consumer, offsets):
        result = consumer.commit(offsets=[TopicPartition(TOPIC, p, o) for p, o in offsets.items()],
                                 asynchronous=False)
        self.assertEqual([tp.error for tp in result], [None] * len(offsets))

    # ---- the three views of lag ---------------------------------------------------------------

    def lag_from_offset_fetch_and_list_offsets(self):
        committed = self.kadmin.list_consumer_group_offsets(GROUP)
        consumer = KafkaConsumer(bootstrap_servers=self.broker.bootstrap)
        try:
            ends = consumer.end_offsets([KTopicPartition(TOPIC, p) for p in range(PARTITIONS)])
        finally:
            consumer.close()
        return {tp.partition: ends[KTopicPartition(TOPIC, tp.partition)] - om.offset
                for tp, om in committed.items() if tp.topic == TOPIC}

    def lag_from_admin_api(self):
        status, body = self.broker.admin_get("/v1/groups/%s" % GROUP)
        self.assertEqual(status, 200, body)
        group = json.loads(body)
        return {o["partition"]: (o["committed_offset"], o["log_end_offset"], o["lag"])
                for o in group["offsets"] if o["topic"] == TOPIC}

    def lag_from_metrics(self):
        status, body = self.broker.admin_get("/metrics")
        self.assertEqual(status, 200, body)
        return {int(labels["partition"]): value for labels, value in
                groups_common.metric_samples(body, "kafka_consumergroup_lag")
                if labels.get("group") == GROUP and labels.get("topic") == TOPIC}

    def assert_lag(self, committed):
        want = {p: PER_PARTITION - o for p, o in committed.items()}
        self.assertEqual(self.lag_from_offset_fetch_and_list_offsets(), want,
                         "lag from OffsetFetch + ListOffsets")
        self.assertEqual(self.lag_from_admin_api(),
                         {p: (o, PER_PARTITION, PER_PARTITION - o) for p, o in committed.items()},
                         "GET /v1/groups/%s: committed, log end, lag" % GROUP)
        self.assertEqual(self.lag_from_metrics(), {p: float(v) for p, v in want.items()},
                         "kafka_consumergroup_lag in /metrics")
        status, body = self.broker.admin_get("/v1/groups")
        self.assertEqual(status, 200, body)
        listed = {g["group"]: g for g in json.loads(body)["groups"]}
        self.assertEqual(listed[GROUP]["lag"], sum(want.values()), "total lag in /v1/groups")

    # ---- the tests ----------------------------------------------------------------------------

    def test_lag_is_reported_while_a_member_is_behind_and_is_zero_once_it_caught_up(self):
        consumer = self.join_member()
        try:
            self.commit(consumer, BEHIND_AT)
            self.assert_lag(BEHIND_AT)
            caught_up = {p: PER_PARTITION for p in range(PARTITIONS)}
            self.commit(consumer, caught_up)
            self.assert_lag(caught_up)
        finally:
            consumer.close()

    def test_admin_clients_list_describe_and_delete_the_group(self):
        consumer = self.join_member()
        try:
            self.commit(consumer, BEHIND_AT)
            self.assertIn((GROUP, "consumer"), self.kadmin.list_consumer_groups(),
                          "kafka-python list_consumer_groups")
            (described,) = self.kadmin.describe_consumer_groups([GROUP])
            self.assertEqual((described.group, described.state, described.protocol_type),
                             (GROUP, "Stable", "consumer"), "kafka-python describe: %s"
                             % (described,))
            self.assertEqual(len(described.members), 1, "one member: %s" % (described,))
            member = described.members[0]
            self.assertEqual(member.client_id, "lag-member")
            self.assertEqual(sorted(member.member_assignment.assignment),
                             [(TOPIC, list(range(PARTITIONS)))],
                             "the member's assignment as DescribeGroups carries it")
            offsets = self.kadmin.list_consumer_group_offsets(GROUP)
            self.assertEqual({tp.partition: om.offset for tp, om in offsets.items()}, BEHIND_AT)

            cadmin = AdminClient({"bootstrap.servers": self.broker.bootstrap})
            groups = {g.id: g for g in cadmin.list_groups(timeout=30)}
            self.assertIn(GROUP, groups, "confluent-kafka list_groups")
            g = groups[GROUP]
            self.assertEqual((g.state, g.protocol_type, len(g.members)),
                             ("Stable", "consumer", 1), "confluent-kafka list_groups: %s" % g)
            self.assertEqual(g.members[0].client_id, "lag-member")
            self.assertTrue(g.members[0].assignment, "DescribeGroups carries the assignment")

            # A group with a member cannot be deleted.
            self.assertEqual(self.kadmin.delete_consumer_groups([GROUP]),
                             [(GROUP, NonEmptyGroupError)])
        finally:
            consumer.close()

        (described,) = self.kadmin.describe_consumer_groups([GROUP])
        self.assertEqual((described.state, described.members), ("Empty", []),
                         "after the member left the group is Empty")
        self.assertEqual(self.kadmin.delete_consumer_groups([GROUP]), [(GROUP, NoError)])
        self.assertNotIn(GROUP, [g for g, _ in self.kadmin.list_consumer_groups()],
                         "a deleted group is not listed")
        self.assertEqual(self.kadmin.list_consumer_group_offsets(GROUP), {},
                         "a deleted group has no committed offsets")
        status, body = self.broker.admin_get("/v1/groups/%s" % GROUP)
        self.assertEqual(status, 404, "GET /v1/groups/%s after deletion: %s" % (GROUP, body))


if __name__ == "__main__":
    harness.main()
