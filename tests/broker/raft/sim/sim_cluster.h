#pragma once
// SimCluster: a deterministic simulation of one Raft group. Every node is a real RaftNode over a
// MemLogStorage whose flushes complete after a simulated disk delay; messages travel through
// SimNetwork; time is a simulated millisecond clock. Crashes lose what was not flushed (or, by
// chance, keep some of it, as a real disk may). All randomness comes from one seeded generator.
// Single-threaded; owns its nodes.

#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "broker/raft/mem_log_storage.h"
#include "broker/raft/raft_node.h"
#include "tests/broker/raft/sim/sim_checker.h"
#include "tests/broker/raft/sim/sim_network.h"
#include "tests/broker/raft/sim/sim_state_machine.h"

namespace broker::raft::sim {

struct SimOptions {
    int founders = 3;  // initial voters: nodes 1..founders
    int pool = 5;      // nodes 1..pool exist; the others may join as learners
    Millis disk_delay_max{5};
    Millis tick_interval{5};
    RaftConfig raft;  // group/self/seed are filled per node
    // With raft.heartbeat_interval == 0: how often the "owner" (as raftio's coalescer would)
    // asks every leader for heartbeat_to(peer) and sends them.
    Millis owner_heartbeat_interval{40};
};

class SimCluster {
  public:
    SimCluster(uint64_t seed, SimOptions options);
    ~SimCluster();

    Millis now() const { return now_; }
    std::mt19937_64& rng() { return rng_; }
    SimNetwork& network() { return network_; }
    Checker& checker() { return checker_; }
    const SimOptions& options() const { return options_; }
    std::vector<NodeId> ids() const;

    // nullptr while the node is down.
    RaftNode* node(NodeId id);
    bool up(NodeId id) const;
    MemLogStorage& storage(NodeId id);
    SimStateMachine* state_machine(NodeId id);

    // keep: see MemLogStorage::crash; random when not given.
    void crash(NodeId id, std::optional<size_t> keep = std::nullopt);
    void restart(NodeId id);

    // The up node that leads with the highest term, if any.
    RaftNode* leader();
    // Advances simulated time, delivering messages, completing flushes and ticking nodes.
    void run_for(Millis duration);
    // Runs until pred() holds or `limit` passes; returns whether it held.
    template <class Pred>
    bool run_until(Pred pred, Millis limit) {
        Millis end = now_ + limit;
        while (!pred()) {
            if (now_ >= end) {
                return false;
            }
            step();
        }
        return true;
    }
    void check_logs();

    uint64_t crashes() const { return crashes_; }
    // Prints one line to stderr when TRIBUTARY_RAFT_SIM_TRACE is set (replaying a seed).
    void trace(const std::string& line) const;
    bool tracing() const { return tracing_; }

  private:
    class NodeTransport;
    struct Node;

    void step();
    void start_node(Node& n);

    uint64_t seed_;
    SimOptions options_;
    std::mt19937_64 rng_;
    SimNetwork network_;
    Checker checker_;
    std::unique_ptr<NodeTransport> transport_;
    Millis now_{0};
    Millis next_tick_{0};
    Millis next_owner_heartbeat_{0};
    std::map<NodeId, std::unique_ptr<Node>> nodes_;
    uint64_t crashes_ = 0;
    bool tracing_ = false;
};

}  // namespace broker::raft::sim
