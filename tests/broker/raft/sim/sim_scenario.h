#pragma once
// One seeded run of the Raft simulation: a chaos phase (proposals while nodes crash and restart,
// the network partitions, loses, duplicates and reorders, membership changes and leadership
// transfers happen), then a healed phase that must elect a leader and commit a proposal on every
// live voter within a bounded simulated time. Safety is checked throughout.

#include <cstdint>
#include <string>

#include "broker/raft/types.h"

namespace broker::raft::sim {

struct ScenarioResult {
    bool ok = true;
    std::string failure;      // first violation, or the liveness failure
    uint64_t operations = 0;  // fault and client operations performed
    uint64_t messages = 0;    // messages delivered
    uint64_t commits = 0;     // highest committed index
    uint64_t elections = 0;   // terms that had a leader
    uint64_t crashes = 0;
    Millis simulated{0};
};

struct ScenarioOptions {
    Millis chaos{4000};      // length of the chaos phase
    Millis liveness{15000};  // bound for electing a leader and committing after healing
};

ScenarioResult run_scenario(uint64_t seed, const ScenarioOptions& options = {});

}  // namespace broker::raft::sim
