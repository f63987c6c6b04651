#pragma once
// LeaderReport: what a broker tells the active controller about one partition whose Raft group
// it leads (sent with every broker heartbeat). Leaders come from Raft, not from the controller:
// Controller::report_leadership turns accepted reports into the partition's leader, leader
// epoch (= the group's Raft term) and ISR (= the voters caught up with the leader).

#include <cstdint>
#include <vector>

#include "common/protocol/types.h"

namespace broker::cluster {

struct LeaderReport {
    common::protocol::Uuid topic_id{};
    int32_t partition = 0;
    int32_t leader_epoch = 0;  // the partition's Raft term
    std::vector<int32_t> isr;  // caught-up voters, the leader included
    bool operator==(const LeaderReport&) const = default;
};

}  // namespace broker::cluster
