#include "tests/broker/raft/sim/sim_cluster.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

namespace broker::raft::sim {

// Sends into the simulated network at the cluster's current time.
class SimCluster::NodeTransport final : public Transport {
  public:
    explicit NodeTransport(SimCluster& cluster) : cluster_(cluster) {}
    void send(Message msg) override { cluster_.network_.send(std::move(msg), cluster_.now_); }

  private:
    SimCluster& cluster_;
};

// One simulated machine: its disk survives crashes, its process (RaftNode, state machine) not.
struct SimCluster::Node {
    NodeId id;
    bool founder = false;
    MemLogStorage storage;
    std::unique_ptr<SimStateMachine> state_machine;
    std::unique_ptr<RaftNode> raft;
    std::optional<Millis> flush_due;
    uint64_t incarnation = 0;
};

SimCluster::SimCluster(uint64_t seed, SimOptions options)
    : seed_(seed),
      options_(std::move(options)),
      rng_(seed),
      network_(rng_),
      transport_(std::make_unique<NodeTransport>(*this)),
      tracing_(std::getenv("TRIBUTARY_RAFT_SIM_TRACE") != nullptr) {
    for (int i = 1; i <= options_.pool; ++i) {
        auto n = std::make_unique<Node>();
        n->id = NodeId(i);
        n->founder = i <= options_.founders;
        nodes_.emplace(n->id, std::move(n));
    }
    for (auto& [id, n] : nodes_) {
        start_node(*n);
    }
}

SimCluster::~SimCluster() = default;

std::vector<NodeId> SimCluster::ids() const {
    std::vector<NodeId> out;
    for (const auto& [id, n] : nodes_) {
        out.push_back(id);
    }
    return out;
}

RaftNode* SimCluster::node(NodeId id) {
    auto it = nodes_.find(id);
    return it == nodes_.end() ? nullptr : it->second->raft.get();
}

bool SimCluster::up(NodeId id) const {
    auto it = nodes_.find(id);
    return it != nodes_.end() && it->second->raft != nullptr;
}

MemLogStorage& SimCluster::storage(NodeId id) {
    return nodes_.at(id)->storage;
}

SimStateMachine* SimCluster::state_machine(NodeId id) {
    return nodes_.at(id)->state_machine.get();
}

void SimCluster::start_node(Node& n) {
    n.state_machine = std::make_unique<SimStateMachine>(n.id, checker_);
    RaftConfig config = options_.raft;
    config.group = GroupId(1);
    config.self = n.id;
    config.seed = seed_ * 1000003 + static_cast<uint64_t>(n.id.value()) * 7919 + ++n.incarnation;
    NodeId id = n.id;
    RaftNode::Callbacks callbacks;
    callbacks.on_status_change = [this, id](const NodeStatus& s) {
        if (tracing_) {
            trace("node " + std::to_string(id.value()) + " " + to_string(s.role) + " term " +
                  std::to_string(s.term.value()) + " leader " + std::to_string(s.leader.value()));
        }
        checker_.on_status(id, s, nodes_.at(id)->storage);
    };
    callbacks.on_commit = [this, id](Index commit) {
        RaftNode* r = nodes_.at(id)->raft.get();
        if (r != nullptr && r->is_leader()) {
            checker_.on_leader_commit(id, r->term(), commit);
        }
    };
    n.raft = std::make_unique<RaftNode>(config, n.storage, *n.state_machine, *transport_,
                                        std::move(callbacks));
    Membership initial;
    if (n.founder) {
        std::vector<NodeId> voters;
        for (int i = 1; i <= options_.founders; ++i) {
            voters.emplace_back(i);
        }
        initial = Membership::of(voters);
    }
    auto started = n.raft->start(now_, initial);
    if (!started) {
        checker_.report("node " + std::to_string(id.value()) +
                        " failed to start: " + started.error().message());
    }
    n.flush_due.reset();
}

void SimCluster::trace(const std::string& line) const {
    if (tracing_) {
        std::cerr << "[" << now_.count() << "ms] " << line << "\n";
    }
}

void SimCluster::crash(NodeId id, std::optional<size_t> keep) {
    Node& n = *nodes_.at(id);
    if (!n.raft) {
        return;
    }
    ++crashes_;
    n.raft.reset();
    n.state_machine.reset();
    size_t pending = n.storage.pending_flush_count();
    size_t k = 0;
    if (keep) {
        k = *keep;
    } else if (std::uniform_int_distribution<int>(0, 3)(rng_) == 0) {
        k = std::uniform_int_distribution<size_t>(0, pending + 1)(rng_);
    }
    n.storage.crash(k);
    trace("crash node " + std::to_string(id.value()) + " keep " + std::to_string(k) + " of " +
          std::to_string(pending) + " pending flushes; log now ends at " +
          std::to_string(n.storage.last_index()));
    n.flush_due.reset();
}

void SimCluster::restart(NodeId id) {
    Node& n = *nodes_.at(id);
    if (!n.raft) {
        trace("restart node " + std::to_string(id.value()));
        start_node(n);
    }
}

RaftNode* SimCluster::leader() {
    RaftNode* best = nullptr;
    for (auto& [id, n] : nodes_) {
        if (n->raft && n->raft->is_leader() && (!best || n->raft->term() > best->term())) {
            best = n->raft.get();
        }
    }
    return best;
}

void SimCluster::run_for(Millis duration) {
    Millis end = now_ + duration;
    while (now_ < end) {
        step();
    }
}

void SimCluster::step() {
    Message msg;
    while (network_.pop_due(now_, msg)) {
        if (RaftNode* r = node(header_of(msg).to)) {
            r->step(msg);
        }
    }
    for (auto& [id, n] : nodes_) {
        if (!n->raft) {
            continue;
        }
        if (n->storage.pending_flush_count() > 0 && !n->flush_due) {
            auto delay =
                std::uniform_int_distribution<int64_t>(0, options_.disk_delay_max.count())(rng_);
            n->flush_due = now_ + Millis(delay);
        }
        if (n->flush_due && *n->flush_due <= now_) {
            n->flush_due.reset();
            bool all = std::uniform_int_distribution<int>(0, 1)(rng_) == 0;
            auto seq = all ? n->storage.complete_all_flushes() : n->storage.complete_next_flush();
            if (seq) {
                n->raft->on_flushed(*seq);
            }
        }
    }
    if (options_.raft.heartbeat_interval.count() == 0 && now_ >= next_owner_heartbeat_) {
        for (auto& [id, n] : nodes_) {
            for (NodeId peer : ids()) {
                if (n->raft) {
                    if (auto hb = n->raft->heartbeat_to(peer)) {
                        network_.send(*hb, now_);
                    }
                }
            }
        }
        next_owner_heartbeat_ = now_ + options_.owner_heartbeat_interval;
    }
    if (now_ >= next_tick_) {
        for (auto& [id, n] : nodes_) {
            if (n->raft) {
                n->raft->tick(now_);
            }
        }
        next_tick_ = now_ + options_.tick_interval;
    }
    now_ += Millis(1);
}

void SimCluster::check_logs() {
    std::map<NodeId, const LogStorage*> logs;
    for (auto& [id, n] : nodes_) {
        logs.emplace(id, &n->storage);
    }
    checker_.check_log_matching(logs);
}

}  // namespace broker::raft::sim
