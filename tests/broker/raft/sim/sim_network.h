#pragma once
// SimNetwork: the simulated network of the Raft simulation. Messages wait in one queue ordered
// by delivery time; each may be lost, duplicated or delayed (which reorders them), and a
// partition drops everything between nodes on different sides. Deterministic for a given rng.
// Owned by SimCluster; single-threaded.

#include <cstdint>
#include <map>
#include <queue>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "broker/raft/messages.h"

namespace broker::raft::sim {

struct NetworkFaults {
    double loss = 0.0;       // probability a message is dropped
    double duplicate = 0.0;  // probability a message is delivered twice
    Millis delay_min{1};
    Millis delay_max{10};
    double long_delay = 0.0;  // probability a message is held back up to long_delay_max
    Millis long_delay_max{2000};
};

class SimNetwork {
  public:
    explicit SimNetwork(std::mt19937_64& rng) : rng_(rng) {}

    void send(Message msg, Millis now);
    // Pops the next message due at or before `now`, if any.
    bool pop_due(Millis now, Message& out);

    void set_faults(const NetworkFaults& faults) { faults_ = faults; }
    const NetworkFaults& faults() const { return faults_; }
    // side_of[node] = side; nodes on different sides cannot talk. Unlisted nodes are on side 0.
    void partition(std::map<NodeId, int> side_of) { side_of_ = std::move(side_of); }
    // One-way fault: messages from `from` to `to` are dropped (the reverse still flows).
    void block(NodeId from, NodeId to) { blocked_.insert({from, to}); }
    void heal() {
        side_of_.clear();
        blocked_.clear();
    }
    bool connected(NodeId a, NodeId b) const;

    uint64_t sent() const { return sent_; }
    uint64_t delivered() const { return delivered_; }

  private:
    struct InFlight {
        Millis at;
        uint64_t seq;
        Message msg;
        bool operator>(const InFlight& o) const { return at != o.at ? at > o.at : seq > o.seq; }
    };

    Millis random_delay();

    std::mt19937_64& rng_;
    NetworkFaults faults_;
    std::map<NodeId, int> side_of_;
    std::set<std::pair<NodeId, NodeId>> blocked_;
    std::priority_queue<InFlight, std::vector<InFlight>, std::greater<>> queue_;
    uint64_t next_seq_ = 0;
    uint64_t sent_ = 0;
    uint64_t delivered_ = 0;
};

}  // namespace broker::raft::sim
