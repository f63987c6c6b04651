"""Replication under kill -9 (issue 4): brokers form one cluster (every node a controller voter),
an RF=3 topic is created through the admin API, and idempotent acks=all producers keep producing
while brokers - the controller leader first, then random ones - are killed with SIGKILL and
restarted, one at a time. Afterwards every acknowledged record is in the log exactly once, at its
acknowledged offset, and each producer's records are in order within every partition (read back
by assignment, no group).

Environment: TRIBUTARY_CLUSTER_BROKERS (default 3), TRIBUTARY_CLUSTER_KILLS (default 3),
TRIBUTARY_CLUSTER_SEED (default: random, printed). The `slow` variants run more kills and 5
brokers."""

import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ck  # noqa: E402
import cluster_kafka as kafka  # noqa: E402
import harness  # noqa: E402
from cluster import Cluster  # noqa: E402
from cluster_production import Production, check_log  # noqa: E402

BROKERS = int(os.environ.get("TRIBUTARY_CLUSTER_BROKERS", "3"))
KILLS = int(os.environ.get("TRIBUTARY_CLUSTER_KILLS", "3"))
SEED = int(os.environ.get("TRIBUTARY_CLUSTER_SEED", str(random.randrange(1 << 30))))
TOPIC = "replicated"
PARTITIONS = 3
PRODUCERS = 2
ACKS_PER_STEP = 300  # acknowledged records (all producers) before each kill and while one is down
PROGRESS_TIMEOUT_S = 60.0


class ClusterReplicationTest(harness.BrokerTestCase):
    def wait_progress(self, productions, more, what):
        target = sum(p.acked_count() for p in productions) + more
        deadline = time.monotonic() + PROGRESS_TIMEOUT_S
        while sum(p.acked_count() for p in productions) < target:
            if time.monotonic() > deadline:
                self.fail("no progress %s: %d acked, %d failed; client errors %s" % (
                    what, sum(p.acked_count() for p in productions),
                    sum(len(p.failed) for p in productions),
                    [str(e) for p in productions for e in p.errors[-3:]]))
            time.sleep(0.02)

    def wait_replicated(self, cluster):
        cluster.wait_for(lambda: kafka.replicated_everywhere(cluster.brokers, TOPIC,
                                                             PARTITIONS, 3),
                         timeout=PROGRESS_TIMEOUT_S,
                         what="every partition led with 3 in-sync replicas in every Metadata")

    def test_acked_records_survive_kill_9_of_brokers_exactly_once_in_order(self):
        print("seed %d, %d brokers, %d kills" % (SEED, BROKERS, KILLS))
        rng = random.Random(SEED)
        cluster = Cluster(self, BROKERS, extra=kafka.FAST_SESSIONS).start()
        cluster.wait_for(lambda: kafka.live_broker_count(cluster.brokers) == BROKERS,
                         what="every broker registered and unfenced in Metadata")
        kafka.create_topic(cluster.bootstrap, TOPIC, PARTITIONS, 3,
                           {"min.insync.replicas": "2"})
        self.wait_replicated(cluster)

        productions = [Production(cluster.bootstrap, TOPIC, "p%d" % i)
                       for i in range(PRODUCERS)]
        for p in productions:
            self.addCleanup(p.stop)
            p.start()
        for k in range(KILLS):
            self.wait_progress(productions, ACKS_PER_STEP, "before kill %d" % (k + 1))
            self.wait_replicated(cluster)
            controller = kafka.any_metadata(cluster.brokers)["controller"]
            victim = controller if k == 0 and controller > 0 else rng.randint(1, BROKERS)
            print("kill %d: kill -9 broker %d (controller %d)" % (k + 1, victim, controller))
            cluster.kill(victim)
            self.wait_progress(productions, ACKS_PER_STEP,
                               "while broker %d is down (kill %d)" % (victim, k + 1))
            cluster.restart(victim)
        self.wait_progress(productions, ACKS_PER_STEP, "after the last restart")
        for p in productions:
            self.assertEqual(p.finish(), 0, "%s: messages neither acknowledged nor failed"
                             % p.name)
        self.wait_replicated(cluster)

        hw = kafka.high_watermarks(cluster.brokers, TOPIC, PARTITIONS)
        records, errors, complete = ck.consume_all(cluster.bootstrap, TOPIC, PARTITIONS,
                                                   sum(hw.values()))
        self.assertEqual(errors, [], "the log must be readable without errors")
        self.assertTrue(complete, "the consumer must reach the end of every partition")
        check_log(self, productions, records, hw)
        print("%d records acknowledged, %d in the log (high watermarks %s)" % (
            sum(p.acked_count() for p in productions), len(records), hw))


if __name__ == "__main__":
    harness.main()
