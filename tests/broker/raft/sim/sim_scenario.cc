#include "tests/broker/raft/sim/sim_scenario.h"

#include <algorithm>

#include "broker/raft/errc.h"
#include "tests/broker/raft/sim/sim_cluster.h"

namespace broker::raft::sim {
namespace {

int uniform(std::mt19937_64& rng, int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
}

double real(std::mt19937_64& rng, double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
}

SimOptions random_options(std::mt19937_64& rng) {
    SimOptions o;
    int shape = uniform(rng, 0, 9);
    o.founders = shape == 0 ? 1 : shape < 6 ? 3 : 5;
    o.pool = o.founders + uniform(rng, 0, 2);
    o.disk_delay_max = Millis(uniform(rng, 0, 40));
    RaftConfig& r = o.raft;
    r.heartbeat_interval = Millis(uniform(rng, 20, 60));
    if (uniform(rng, 0, 4) == 0) {
        o.owner_heartbeat_interval = r.heartbeat_interval;
        r.heartbeat_interval = Millis(0);  // heartbeats driven from outside, as when coalesced
    }
    r.election_timeout_min = Millis(uniform(rng, 150, 300));
    r.election_timeout_max = r.election_timeout_min + Millis(uniform(rng, 50, 300));
    r.pre_vote = uniform(rng, 0, 4) != 0;
    r.check_quorum = uniform(rng, 0, 4) != 0;
    r.max_append_bytes = static_cast<size_t>(uniform(rng, 8, 64));
    r.max_inflight_appends = static_cast<size_t>(uniform(rng, 1, 8));
    r.snapshot_chunk_bytes = static_cast<size_t>(uniform(rng, 3, 20));
    r.snapshot_interval = uniform(rng, 0, 2) == 0 ? 0 : uniform(rng, 3, 40);
    r.replica_lag_max = Millis(1000);
    return o;
}

Bytes payload(uint64_t n) {
    Bytes b;
    for (int i = 0; i < 8; ++i) {
        b.push_back(static_cast<uint8_t>(n >> (8 * i)));
    }
    return b;
}

// The chaos phase's actions, each picked at random.
class Chaos {
  public:
    Chaos(SimCluster& cluster, ScenarioResult& result) : c_(cluster), r_(result) {}

    void act() {
        ++r_.operations;
        int pick = uniform(c_.rng(), 0, 99);
        if (pick < 45) {
            propose();
        } else if (pick < 53) {
            crash();
        } else if (pick < 63) {
            restart();
        } else if (pick < 68) {
            partition();
        } else if (pick < 74) {
            c_.trace("heal");
            c_.network().heal();
        } else if (pick < 78) {
            faults();
        } else if (pick < 88) {
            membership();
        } else if (pick < 93) {
            transfer();
        } else {
            snapshot();
        }
    }

  private:
    NodeId random_node() {
        auto ids = c_.ids();
        return ids[static_cast<size_t>(uniform(c_.rng(), 0, static_cast<int>(ids.size()) - 1))];
    }

    void propose() {
        if (RaftNode* l = c_.leader()) {
            int n = uniform(c_.rng(), 1, 4);
            for (int i = 0; i < n; ++i) {
                (void)l->propose(payload(next_payload_++));
            }
        }
    }

    // Crashes a random node, or (half the time) the leader: leaders' unflushed tails are
    // where durability bugs hide.
    void crash() {
        size_t down = 0;
        for (NodeId id : c_.ids()) {
            down += c_.up(id) ? 0 : 1;
        }
        if (down >= 2) {
            return;
        }
        RaftNode* l = c_.leader();
        c_.crash(l != nullptr && uniform(c_.rng(), 0, 1) == 0 ? l->id() : random_node());
    }

    void restart() {
        for (NodeId id : c_.ids()) {
            if (!c_.up(id)) {
                c_.restart(id);
                return;
            }
        }
    }

    void partition() {
        if (uniform(c_.rng(), 0, 3) == 0) {
            NodeId from = random_node();
            NodeId to = random_node();
            c_.trace("block " + std::to_string(from.value()) + " -> " + std::to_string(to.value()));
            c_.network().block(from, to);
            return;
        }
        std::map<NodeId, int> sides;
        std::string text = "partition:";
        for (NodeId id : c_.ids()) {
            sides[id] = uniform(c_.rng(), 0, 1);
            text += " " + std::to_string(id.value()) + "@" + std::to_string(sides[id]);
        }
        c_.trace(text);
        c_.network().partition(sides);
    }

    void faults() {
        NetworkFaults f;
        f.loss = uniform(c_.rng(), 0, 2) == 0 ? 0.0 : real(c_.rng(), 0.0, 0.3);
        f.duplicate = real(c_.rng(), 0.0, 0.1);
        f.delay_min = Millis(uniform(c_.rng(), 0, 5));
        f.delay_max = f.delay_min + Millis(uniform(c_.rng(), 1, 60));
        f.long_delay = uniform(c_.rng(), 0, 1) == 0 ? 0.0 : real(c_.rng(), 0.0, 0.05);
        c_.network().set_faults(f);
    }

    void membership() {
        RaftNode* l = c_.leader();
        if (l == nullptr) {
            return;
        }
        NodeId target = random_node();
        const Membership& m = l->membership();
        common::Result<LogPosition> r = Errc::InvalidMembership;
        const char* what = "none";
        if (!m.contains(target)) {
            what = "add learner";
            r = l->add_learner(target);
        } else if (m.is_learner(target) && uniform(c_.rng(), 0, 2) != 0) {
            what = "promote";
            r = l->promote_learner(target);
        } else if (m.voters.size() + m.learners.size() > 2) {
            what = "remove";
            r = l->remove_member(target);
        }
        c_.trace(std::string("membership: leader ") + std::to_string(l->id().value()) + " " + what +
                 " " + std::to_string(target.value()) + ": " +
                 (r ? "index " + std::to_string(r.value().index) : r.error().message()));
    }

    void transfer() {
        if (RaftNode* l = c_.leader()) {
            NodeId target = random_node();
            auto r = l->transfer_leadership(target);
            c_.trace("transfer from " + std::to_string(l->id().value()) + " to " +
                     std::to_string(target.value()) + ": " + (r ? "ok" : r.error().message()));
        }
    }

    void snapshot() {
        if (RaftNode* n = c_.node(random_node())) {
            (void)n->snapshot_now();
        }
    }

    SimCluster& c_;
    ScenarioResult& r_;
    uint64_t next_payload_ = 1;
};

// Traces every node's state (replaying a failed seed).
void dump(SimCluster& c) {
    if (c.tracing()) {
        for (NodeId id : c.ids()) {
            RaftNode* r = c.node(id);
            if (r == nullptr) {
                continue;
            }
            std::string text = "node " + std::to_string(id.value()) + " " + to_string(r->role()) +
                               " term " + std::to_string(r->term().value()) + " last " +
                               std::to_string(r->last_index()) + " commit " +
                               std::to_string(r->commit_index()) + " applied " +
                               std::to_string(r->applied_index()) + " voters";
            for (NodeId v : r->membership().voters) {
                text += " " + std::to_string(v.value());
            }
            text += " learners";
            for (NodeId v : r->membership().learners) {
                text += " " + std::to_string(v.value());
            }
            auto t = c.storage(id).term_at(c.storage(id).last_index());
            text += " last term " + std::to_string(t ? t.value().value() : -1);
            for (NodeId p : r->membership().peers_of(id)) {
                if (auto pr = r->progress(p)) {
                    text += " | peer " + std::to_string(p.value()) + " state " +
                            std::to_string(static_cast<int>(pr->state)) + " match " +
                            std::to_string(pr->match_index) + " next " +
                            std::to_string(pr->next_index) + " inflight " +
                            std::to_string(pr->inflight.size()) + " probe_sent " +
                            std::to_string(pr->probe_sent);
                }
            }
            c.trace(text);
        }
    }
}

// After healing: a leader is elected and a fresh proposal is applied by every live voter.
bool liveness(SimCluster& c, Millis limit, std::string& why) {
    Millis end = c.now() + limit;
    uint64_t n = 1ULL << 40;
    while (c.now() < end) {
        if (!c.run_until(
                [&] {
                    RaftNode* l = c.leader();
                    return l != nullptr && l->leader_ready();
                },
                end - c.now())) {
            why = "liveness: no ready leader within the bound after healing";
            dump(c);
            return false;
        }
        RaftNode* l = c.leader();
        auto pos = l->propose(payload(n++));
        if (!pos) {
            c.run_for(Millis(10));
            continue;
        }
        // Every member, learners included, must apply it.
        std::vector<NodeId> voters = l->membership().voters;
        voters.insert(voters.end(), l->membership().learners.begin(),
                      l->membership().learners.end());
        NodeId leader_id = l->id();
        LogPosition p = pos.value();
        if (c.tracing()) {
            std::string text = "liveness: leader " + std::to_string(l->id().value()) +
                               " proposed index " + std::to_string(p.index) + " term " +
                               std::to_string(p.term.value()) + "; voters";
            for (NodeId v : voters) {
                text += " " + std::to_string(v.value());
            }
            c.trace(text);
        }
        bool done = c.run_until(
            [&] {
                auto t = c.checker().committed_term(p.index);
                RaftNode* still = c.node(leader_id);
                if ((t && *t != p.term) || still == nullptr || !still->is_leader() ||
                    still->term() != p.term) {
                    return true;  // overwritten, or leadership moved: propose again
                }
                for (NodeId v : voters) {
                    RaftNode* r = c.node(v);
                    if (r == nullptr || r->applied_index() < p.index) {
                        return false;
                    }
                }
                return true;
            },
            end - c.now());
        auto t = c.checker().committed_term(p.index);
        bool applied = true;
        for (NodeId v : voters) {
            RaftNode* r = c.node(v);
            applied = applied && r != nullptr && r->applied_index() >= p.index;
        }
        if (done && t && *t == p.term && applied) {
            return true;
        }
    }
    why = "liveness: no proposal committed on every voter within the bound after healing";
    dump(c);
    return false;
}

}  // namespace

ScenarioResult run_scenario(uint64_t seed, const ScenarioOptions& options) {
    ScenarioResult result;
    std::mt19937_64 shape_rng(seed ^ 0x5eed5eed5eedULL);
    SimCluster cluster(seed, random_options(shape_rng));
    Chaos chaos(cluster, result);
    Millis chaos_end = cluster.now() + options.chaos;
    Millis next_log_check = cluster.now() + Millis(500);
    while (cluster.now() < chaos_end && cluster.checker().ok()) {
        chaos.act();
        cluster.run_for(Millis(uniform(cluster.rng(), 5, 150)));
        if (cluster.now() >= next_log_check) {
            cluster.check_logs();
            next_log_check = cluster.now() + Millis(500);
        }
    }
    std::string why;
    if (cluster.checker().ok()) {
        cluster.trace("chaos over: healing everything");
        cluster.network().heal();
        NetworkFaults calm;
        calm.delay_max = Millis(20);
        cluster.network().set_faults(calm);
        for (NodeId id : cluster.ids()) {
            cluster.restart(id);
        }
        // Liveness is required with pre-vote (the production setting). Without it a removed
        // node that never learned of its removal keeps raising the term and can starve
        // elections — Raft's known disruptive-server problem that pre-vote solves — so those
        // seeds check safety only.
        bool required = cluster.options().raft.pre_vote;
        if (!liveness(cluster, options.liveness, why) && required) {
            result.ok = false;
            result.failure = why;
        }
        cluster.check_logs();
    }
    if (!cluster.checker().ok()) {
        result.ok = false;
        result.failure = cluster.checker().violations().front();
    }
    result.messages = cluster.network().delivered();
    result.commits = static_cast<uint64_t>(cluster.checker().max_committed());
    result.elections = cluster.checker().elections();
    result.crashes = cluster.crashes();
    result.simulated = cluster.now();
    return result;
}

}  // namespace broker::raft::sim
