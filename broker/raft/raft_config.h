#pragma once
// RaftConfig: the tunables of one RaftNode. Times are on the node's clock (RaftNode::tick).

#include <cstddef>
#include <cstdint>

#include "broker/raft/types.h"

namespace broker::raft {

struct RaftConfig {
    GroupId group;
    NodeId self = kNoNode;
    // How often a leader sends heartbeats on its own. 0: never; the owner calls
    // RaftNode::heartbeat_to(peer) from its per-peer timer instead (coalesced heartbeats).
    Millis heartbeat_interval{50};
    // A follower that hears from no leader for a random time in [min, max) campaigns. A leader
    // that hears from no quorum for max steps down (check-quorum). A voter that heard from a
    // leader within min ignores vote requests (leader stickiness).
    Millis election_timeout_min{300};
    Millis election_timeout_max{600};
    bool pre_vote = true;
    bool check_quorum = true;
    // Batching and pipelining of appends to one follower.
    size_t max_append_bytes = size_t{1} << 20;
    size_t max_inflight_appends = 8;
    size_t snapshot_chunk_bytes = size_t{1} << 20;
    // Take a snapshot (and drop the log it covers) once this many entries are applied past the
    // last one. 0: only when snapshot_now() is called.
    Index snapshot_interval = 0;
    // A follower is in sync (ISR) if it caught up with the leader within this time.
    Millis replica_lag_max{10000};
    // Seeds the election-timeout randomness (deterministic per node).
    uint64_t seed = 0;
};

}  // namespace broker::raft
