"""confluent-kafka-python (librdkafka) group members against a real broker: incremental
cooperative rebalancing moves only some partitions, and a static member (group.instance.id)
restarted within its session timeout comes back without a rebalance."""

import json
import time

from confluent_kafka import Consumer, KafkaError

import groups_common
import harness
from ck import create_topic

PARTITIONS = 6
ALL = set(range(PARTITIONS))
SETTLE_S = 3.0  # how long the other member is watched after a restart (heartbeats every 0.5 s)


class Member:
    """One confluent-kafka consumer in a group, with its assignment as the rebalance callbacks
    report it. Owned by the test; polled from the test thread only."""

    def __init__(self, bootstrap, group, topic, **conf):
        self.events = []  # ("assign" | "revoke" | "lost", sorted partitions)
        self.assigned = set()
        self.stats = {}
        self.stats_at = 0.0  # time.monotonic() of the newest statistics
        self.event_at = 0.0  # time.monotonic() of the newest rebalance callback
        base = {"bootstrap.servers": bootstrap, "group.id": group,
                "enable.auto.commit": False, "auto.offset.reset": "earliest",
                "session.timeout.ms": 6000, "heartbeat.interval.ms": 500,
                "statistics.interval.ms": 200, "stats_cb": self._on_stats}
        base.update(conf)
        self.consumer = Consumer(base)
        self.consumer.subscribe([topic], on_assign=self._on_assign, on_revoke=self._on_revoke,
                                on_lost=self._on_lost)
        self.errors = []

    def _on_assign(self, _consumer, partitions):
        self.events.append(("assign", sorted(tp.partition for tp in partitions)))
        self.event_at = time.monotonic()
        self.assigned |= {tp.partition for tp in partitions}

    def _on_revoke(self, _consumer, partitions):
        self.events.append(("revoke", sorted(tp.partition for tp in partitions)))
        self.event_at = time.monotonic()
        self.assigned -= {tp.partition for tp in partitions}

    def _on_lost(self, _consumer, partitions):
        self.events.append(("lost", sorted(tp.partition for tp in partitions)))
        self.event_at = time.monotonic()
        self.assigned -= {tp.partition for tp in partitions}

    def _on_stats(self, text):
        self.stats = json.loads(text)
        self.stats_at = time.monotonic()

    def poll(self):
        msg = self.consumer.poll(0.05)
        if msg is not None and msg.error():
            self.errors.append(msg.error())

    def rebalance_count(self):
        return self.stats.get("cgrp", {}).get("rebalance_cnt")

    def stats_current(self):
        """The newest statistics were emitted after the newest rebalance callback."""
        return self.stats_at > self.event_at

    def close(self):
        self.consumer.close()


def poll_until(members, done, timeout, what):
    def step():
        for m in members:
            m.poll()
        return done()

    groups_common.wait_for(step, timeout, lambda: "%s; %s" % (what, [
        (sorted(m.assigned), m.events, [str(e) for e in m.errors]) for m in members]),
        interval=0)


def split_evenly(a, b):
    return a.assigned and b.assigned and not (a.assigned & b.assigned) and \
        a.assigned | b.assigned == ALL


class ConfluentGroupTest(harness.BrokerTestCase):
    def setUp(self):
        self.broker = self.start_broker(groups_common.GROUP_BROKER_CONFIG, admin=True)
        create_topic(self.broker.bootstrap, "six", PARTITIONS)
        self.members = []

    def tearDown(self):
        for m in self.members:
            m.close()

    def member(self, group, **conf):
        m = Member(self.broker.bootstrap, group, "six", **conf)
        self.members.append(m)
        return m

    def test_cooperative_sticky_new_member_revokes_only_a_strict_subset(self):
        conf = {"partition.assignment.strategy": "cooperative-sticky"}
        a = self.member("coop", **conf)
        poll_until([a], lambda: a.assigned == ALL, 60, "the first member must get all partitions")
        self.assertEqual(a.events, [("assign", sorted(ALL))])

        b = self.member("coop", **conf)
        poll_until([a, b], lambda: split_evenly(a, b), 60,
                   "the second member must get some partitions")
        # librdkafka reports the follow-up rebalance of the cooperative protocol as an incremental
        # assign of nothing; only events that move partitions count.
        a_later = [e for e in a.events[1:] if e[1]]
        revoked = set()
        for kind, parts in a_later:
            self.assertEqual(kind, "revoke", "the first member only gives partitions away: %s"
                             % a_later)
            revoked |= set(parts)
        self.assertTrue(revoked and revoked < ALL,
                        "the incremental revoke must be a non-empty strict subset of %s: %s"
                        % (sorted(ALL), a_later))
        self.assertEqual(a.assigned, ALL - revoked, "the first member keeps what was not revoked")
        self.assertEqual(b.assigned, revoked, "the new member gets exactly what was revoked")
        self.assertEqual(len(a.assigned), len(b.assigned), "sticky: 3 and 3")
        self.assertEqual([str(e) for m in (a, b) for e in m.errors], [])

    def group_view(self, group):
        status, body = self.broker.admin_get("/v1/groups/%s" % group)
        self.assertEqual(status, 200, "GET /v1/groups/%s: %s" % (group, body))
        return json.loads(body)

    def test_static_member_restarted_within_session_timeout_causes_no_rebalance(self):
        conf = {"session.timeout.ms": 30000}
        a = self.member("static", **{"group.instance.id": "static-a"}, **conf)
        b = self.member("static", **{"group.instance.id": "static-b"}, **conf)
        poll_until([a, b], lambda: split_evenly(a, b) and b.stats_current(),
                   60, "two static members must share the partitions")
        before = self.group_view("static")
        b_events = list(b.events)
        b_rebalances = b.rebalance_count()
        a_partitions = set(a.assigned)

        # Restart member a within its session timeout: a static member sends no LeaveGroup.
        self.members.remove(a)
        a.close()
        a2 = self.member("static", **{"group.instance.id": "static-a"}, **conf)
        poll_until([a2, b], lambda: a2.assigned, 60, "the restarted static member must rejoin")
        end = time.monotonic() + SETTLE_S
        poll_until([a2, b], lambda: time.monotonic() > end, SETTLE_S + 10, "settle")

        self.assertEqual(a2.assigned, a_partitions,
                         "the restarted member gets its previous assignment back")
        self.assertEqual(b.events, b_events, "the other member sees no rebalance callback")
        self.assertEqual(b.assigned, ALL - a_partitions)
        self.assertEqual(b.rebalance_count(), b_rebalances,
                         "librdkafka counts no rebalance on the other member")
        after = self.group_view("static")
        self.assertEqual((after["state"], after["generation"]),
                         (before["state"], before["generation"]),
                         "the group stays Stable in the same generation")
        self.assertEqual(before["state"], "Stable")
        instances = {m.get("group_instance_id"): m["member_id"] for m in after["members"]}
        old = {m.get("group_instance_id"): m["member_id"] for m in before["members"]}
        self.assertEqual(set(instances), {"static-a", "static-b"})
        self.assertEqual(instances["static-b"], old["static-b"], "b keeps its member id")
        self.assertNotEqual(instances["static-a"], old["static-a"],
                            "the restarted member joined with a new member id")

    def test_second_member_with_the_same_instance_id_fences_the_first(self):
        first = self.member("fenced", **{"group.instance.id": "twin"})
        poll_until([first], lambda: first.assigned == ALL, 60, "the first twin must join")
        second = self.member("fenced", **{"group.instance.id": "twin"})
        poll_until([first, second],
                   lambda: second.assigned == ALL and any(
                       e.code() == KafkaError._FATAL for e in first.errors), 60,
                   "the second twin takes over and the first gets a fatal error")
        fatal = [e for e in first.errors if e.code() == KafkaError._FATAL]
        self.assertIn("fenced", str(fatal[0]).lower(),
                      "the first twin's fatal error must be FENCED_INSTANCE_ID: %s" % fatal[0])
        self.assertEqual([str(e) for e in second.errors], [])


if __name__ == "__main__":
    harness.main()
