"""confluent-kafka-python helpers shared by the integration tests (run with /usr/bin/python3)."""

import time

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic


def create_topic(bootstrap, name, partitions, config=None, timeout=30.0):
    """CreateTopics through AdminClient; raises the client's exception on failure."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics([NewTopic(name, num_partitions=partitions,
                                            replication_factor=1, config=config or {})],
                                  operation_timeout=timeout)
    futures[name].result(timeout)


class Delivery:
    """Delivery reports of one producer: acked (partition, offset, value) and failures."""

    def __init__(self):
        self.acked = []
        self.failed = []

    def __call__(self, err, msg):
        if err is None:
            self.acked.append((msg.partition(), msg.offset(), msg.value()))
        else:
            self.failed.append((err, msg.value()))


def idempotent_producer(bootstrap, **extra):
    conf = {"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all",
            "linger.ms": 5}
    conf.update(extra)
    return Producer(conf)


def produce_all(producer, topic, values, keys=None, flush_timeout=60.0):
    """Produces every value (with optional keys), waits for all delivery reports."""
    report = Delivery()
    for i, v in enumerate(values):
        key = keys[i] if keys else None
        while True:
            try:
                producer.produce(topic, value=v, key=key, on_delivery=report)
                break
            except BufferError:
                producer.poll(0.05)
        producer.poll(0)
    remaining = producer.flush(flush_timeout)
    return report, remaining


def consume_all(bootstrap, topic, partitions, expected=None, timeout=60.0):
    """Reads every partition from the beginning to its end by assignment (no group join).

    Returns (records, errors, complete): records are (partition, offset, key, value) in read
    order; errors are every consumer error other than end-of-partition; complete says that all
    partitions reached their end (and, when given, at least `expected` records were read) before
    the timeout."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "tributary-it-unused",
                         "enable.auto.commit": False, "enable.partition.eof": True,
                         "auto.offset.reset": "earliest", "check.crcs": True})
    try:
        consumer.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
        records, errors, at_eof = [], [], set()
        deadline = time.monotonic() + timeout
        while True:
            if len(at_eof) == partitions and (expected is None or len(records) >= expected):
                return records, errors, True
            if time.monotonic() > deadline:
                return records, errors, False
            msg = consumer.poll(0.2)
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    at_eof.add(msg.partition())
                else:
                    errors.append(msg.error())
                continue
            at_eof.discard(msg.partition())
            records.append((msg.partition(), msg.offset(), msg.key(), msg.value()))
    finally:
        consumer.close()
