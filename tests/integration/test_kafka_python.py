"""kafka-python: admin create topic + describe configs, producer and consumer by assignment."""

import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewTopic

import harness

PARTITIONS = 3
MESSAGES = 2000


class KafkaPythonTest(harness.BrokerTestCase):
    def setUp(self):
        self.broker = self.start_broker()

    def admin(self):
        a = KafkaAdminClient(bootstrap_servers=self.broker.bootstrap, client_id="it-admin",
                             request_timeout_ms=20000)
        self.addCleanup(a.close)
        return a

    def test_admin_creates_a_topic_and_describes_its_configs(self):
        admin = self.admin()
        admin.create_topics([NewTopic("described", num_partitions=PARTITIONS, replication_factor=1,
                                      topic_configs={"retention.ms": "3600000"})])
        self.assertIn("described", admin.list_topics(), "the created topic must be listed")

        responses = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, "described")])
        resources = [r for resp in responses for r in resp.resources]
        self.assertEqual(len(resources), 1, "one resource asked, one described: %s" % resources)
        error_code, error_message, _, name, entries = resources[0][:5]
        self.assertEqual((error_code, name), (0, "described"),
                         "DescribeConfigs failed: %s" % error_message)
        configs = {e[0]: e[1] for e in entries}
        self.assertEqual(configs.get("retention.ms"), "3600000",
                         "the config given at creation must be described: %s" % configs)

    def test_producer_and_assigned_consumer_round_trip(self):
        self.admin().create_topics([NewTopic("kp", num_partitions=PARTITIONS,
                                             replication_factor=1)])
        producer = KafkaProducer(bootstrap_servers=self.broker.bootstrap, acks="all",
                                 linger_ms=5)
        self.addCleanup(producer.close)
        futures = [(b"v%05d" % i, producer.send("kp", key=b"k%d" % (i % 17), value=b"v%05d" % i))
                   for i in range(MESSAGES)]
        producer.flush(60)
        acked = set()
        for value, f in futures:
            md = f.get(timeout=60)
            acked.add((md.partition, md.offset, value))

        consumer = KafkaConsumer(bootstrap_servers=self.broker.bootstrap, group_id=None,
                                 enable_auto_commit=False, auto_offset_reset="earliest")
        self.addCleanup(consumer.close)
        consumer.assign([TopicPartition("kp", p) for p in range(PARTITIONS)])
        consumer.seek_to_beginning()
        got = []
        deadline = time.monotonic() + 60
        while len(got) < MESSAGES and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                got += [(r.partition, r.offset, r.value) for r in records]
        self.assertEqual(len(got), MESSAGES, "every produced message must be consumed once")
        self.assertEqual(set(got), acked, "records must sit at their acknowledged offsets")


if __name__ == "__main__":
    harness.main()
