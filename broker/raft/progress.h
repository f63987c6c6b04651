#pragma once
// Progress: what a leader knows about one follower's log. Owned by the RaftNode (leader only);
// returned by value from queries.

#include <cstddef>
#include <cstdint>
#include <deque>

#include "broker/raft/types.h"

namespace broker::raft {

struct Progress {
    // Probe: one append at a time until the follower's position is found. Replicate: optimistic
    // pipelining, up to max_inflight_appends batches in flight. Snapshot: sending a snapshot.
    enum class State : uint8_t { Probe, Replicate, Snapshot };

    NodeId id = kNoNode;
    bool is_voter = false;
    State state = State::Probe;
    Index match_index = 0;       // highest index known durable and matching on the follower
    Index next_index = 1;        // next index to send
    bool probe_sent = false;     // Probe/Snapshot: waiting for an answer before sending more
    std::deque<Index> inflight;  // Replicate: last index of each batch in flight, ascending
    Millis last_response{0};     // last message from the follower in the leader's term
    Millis last_caught_up{0};    // last time it had everything the leader had at the time before
    Index catch_up_target = 0;   // leader's last index when last_caught_up was set
    // Snapshot state: the offset the follower expects next of the snapshot at snapshot_index.
    Index snapshot_index = 0;
    uint64_t snapshot_offset = 0;
};

}  // namespace broker::raft
