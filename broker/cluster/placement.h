#pragma once
// Rack-aware replica placement for CreateTopics and CreatePartitions. A pure, deterministic
// function: the same input always gives the same assignment.
//
// Rules, in priority order:
//  1. each partition's replicas are distinct brokers in min(RF, racks) distinct racks (brokers
//     without a rack form one group of their own);
//  2. preferred leaders (the first replica) balanced across brokers, then across racks;
//  3. replicas balanced across brokers, then across racks;
//  4. ties go to the broker with the least load over the whole cluster, then the lowest id.
// Counts start from the topic's existing partitions, so new partitions keep the balance.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace broker::cluster {

// The replicas of one partition; the first is the preferred leader.
using Assignment = std::vector<int32_t>;

struct PlacementBroker {
    int32_t id = 0;
    std::optional<std::string> rack;
};

struct PlacementInput {
    std::vector<PlacementBroker> brokers;  // the live brokers to place on (any order)
    int32_t partitions = 0;                // new partitions to place
    int32_t replication_factor = 1;
    std::vector<Assignment> existing;         // the topic's current partitions
    std::map<int32_t, int64_t> cluster_load;  // replicas per broker over all topics (tie-break)
};

// The assignments of the new partitions. InvalidReplicationFactor (cluster::Errc) when RF is
// below 1 or above the broker count, InvalidPartitions when `partitions` is negative; `error`
// then gets Kafka's message.
common::Result<std::vector<Assignment>> place_replicas(const PlacementInput& input,
                                                       std::string* error);

}  // namespace broker::cluster
