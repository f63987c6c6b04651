"""kafkajs consumer groups against a real broker: three member processes on a 6-partition topic
get two partitions each; after one is killed with SIGKILL the other two take its partitions once
its session times out, and with a commit after each processed message every produced message is
processed at least once. kafkajs' admin then lists, describes, reads the offsets of and deletes
the group. Needs the `node_clients` CTest fixture (setup-node-clients.sh)."""

import json
import os
import subprocess

from kafka import KafkaAdminClient

import groups_common
import harness
from ck import create_topic

HERE = os.path.dirname(os.path.abspath(__file__))
MEMBER_JS = os.path.join(HERE, "groups_kafkajs_member.js")
ADMIN_JS = os.path.join(HERE, "groups_kafkajs_admin.js")
PARTITIONS = 6
PER_PARTITION = 50  # per phase
TOPIC = "js-six"
GROUP = "js-group"


class NodeMember:
    """One groups_kafkajs_member.js process; its events are read back from its output file.
    Owned by the test (killed in cleanup)."""

    def __init__(self, broker, directory, index):
        self.out_path = os.path.join(directory, "member-%d.jsonl" % index)
        self.err_path = self.out_path + ".stderr"
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(
                harness._die_with_parent(["node", MEMBER_JS, broker.bootstrap, TOPIC, GROUP]),
                stdout=out, stderr=err, stdin=subprocess.DEVNULL)

    def events(self):
        with open(self.out_path, "rb") as f:
            lines = f.read().decode(errors="replace").splitlines()
        # A process killed mid-write may leave a partial last line.
        return [json.loads(l) for l in lines if l.endswith("}")]

    def assignment(self):
        """Partitions of the latest join (empty before the first)."""
        joins = [e for e in self.events() if e["event"] == "join"]
        return set(joins[-1]["assignment"].get(TOPIC, [])) if joins else set()

    def processed(self):
        return {e["value"] for e in self.events() if e["event"] == "message"}

    def describe(self):
        with open(self.err_path, "rb") as f:
            err = f.read().decode(errors="replace")[-1500:]
        crashes = [e for e in self.events() if e["event"] == "crash"]
        return "pid %d rc %s assignment %s crashes %s stderr %s" % (
            self.proc.pid, self.proc.poll(), sorted(self.assignment()), crashes, err)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def partition_of_all(members, each):
    """True when the members' latest assignments are disjoint, `each` partitions apiece, and
    cover every partition."""
    sets = [m.assignment() for m in members]
    return all(len(s) == each for s in sets) and set().union(*sets) == set(range(PARTITIONS)) \
        and sum(len(s) for s in sets) == PARTITIONS


class KafkajsGroupTest(harness.BrokerTestCase):
    def setUp(self):
        self.broker = self.start_broker(groups_common.GROUP_BROKER_CONFIG)
        create_topic(self.broker.bootstrap, TOPIC, PARTITIONS)
        self.members = []

    def start_member(self):
        m = NodeMember(self.broker, self.broker.tmp, len(self.members))
        self.members.append(m)
        self.addCleanup(m.kill)
        return m

    def produce_phase(self, phase):
        values = {p: ["%s-p%d-%03d" % (phase, p, i) for i in range(PER_PARTITION)]
                  for p in range(PARTITIONS)}
        self.assertEqual(groups_common.produce_to_partitions(self.broker.bootstrap, TOPIC, values),
                         [], "every produced message must be acknowledged")
        return {v for vs in values.values() for v in vs}

    def state(self):
        return "; ".join(m.describe() for m in self.members)

    def test_three_members_share_six_partitions_and_survivors_take_over_a_killed_one(self):
        for _ in range(3):
            self.start_member()
        groups_common.wait_for(lambda: partition_of_all(self.members, 2), 90,
                               lambda: "3 members must get 2 partitions each: " + self.state(),
                               interval=0.2)

        produced = self.produce_phase("before")
        groups_common.wait_for(
            lambda: produced <= set().union(*(m.processed() for m in self.members)), 60,
            lambda: "every message must be processed: " + self.state(), interval=0.2)

        victim = self.members[2]
        victim_partitions = victim.assignment()
        victim.kill()  # SIGKILL: no LeaveGroup; the coordinator notices by the session timeout
        produced |= self.produce_phase("after")
        survivors = self.members[:2]
        groups_common.wait_for(lambda: partition_of_all(survivors, 3), 90,
                               lambda: "the 2 survivors must take over: " + self.state(),
                               interval=0.2)
        self.assertTrue(victim_partitions <= set().union(*(m.assignment() for m in survivors)))

        groups_common.wait_for(
            lambda: produced <= set().union(*(m.processed() for m in self.members)), 60,
            lambda: "missing after the takeover: %s; %s" % (
                sorted(produced - set().union(*(m.processed() for m in self.members)))[:20],
                self.state()), interval=0.2)

        admin = KafkaAdminClient(bootstrap_servers=self.broker.bootstrap)
        try:
            offsets = admin.list_consumer_group_offsets(GROUP)
        finally:
            admin.close()
        self.assertEqual({tp.partition: om.offset for tp, om in offsets.items()},
                         {p: 2 * PER_PARTITION for p in range(PARTITIONS)},
                         "every partition is committed up to its end")
        for m in survivors:
            self.assertIsNone(m.proc.poll(), "survivor exited: " + m.describe())
        self.check_kafkajs_admin(survivors)

    def kafkajs_admin(self, *action):
        p = subprocess.run(["node", ADMIN_JS, self.broker.bootstrap, TOPIC, GROUP] + list(action),
                           capture_output=True, timeout=120)
        out = p.stdout.decode(errors="replace")
        self.assertEqual(p.returncode, 0, "kafkajs admin failed:\n%s\n%s"
                         % (out, p.stderr.decode(errors="replace")))
        lines = [l for l in out.splitlines() if l.startswith("RESULT ")]
        self.assertEqual(len(lines), 1, "expected one RESULT line:\n%s" % out)
        return json.loads(lines[0][len("RESULT "):])

    def check_kafkajs_admin(self, survivors):
        ends = [{"partition": p, "offset": str(2 * PER_PARTITION)} for p in range(PARTITIONS)]
        r = self.kafkajs_admin()
        self.assertIn({"groupId": GROUP, "protocolType": "consumer"}, r["listed"])
        (g,) = r["described"]
        self.assertEqual((g["groupId"], g["state"], g["protocolType"], g["errorCode"]),
                         (GROUP, "Stable", "consumer", 0), "describeGroups: %s" % g)
        self.assertEqual(sorted(m["clientId"] for m in g["members"]), ["it-groups-kafkajs"] * 2)
        self.assertEqual([(t["topic"], sorted(({"partition": x["partition"],
                                                "offset": x["offset"]} for x in t["partitions"]),
                                              key=lambda x: x["partition"]))
                          for t in r["offsets"]], [(TOPIC, ends)], "fetchOffsets")

        for m in survivors:  # SIGTERM: the member disconnects (LeaveGroup) and exits 0
            m.proc.terminate()
            self.assertEqual(m.proc.wait(60), 0, m.describe())
        r = self.kafkajs_admin("delete")
        (g,) = r["described"]
        self.assertEqual((g["state"], g["members"]), ("Empty", []),
                         "after both members left the group is Empty: %s" % g)
        self.assertEqual(r["deleted"], [{"groupId": GROUP, "errorCode": 0}], "deleteGroups")
        self.assertNotIn(GROUP, [x["groupId"] for x in r["listedAfter"]],
                         "a deleted group is not listed")


if __name__ == "__main__":
    harness.main()
