#pragma once
// Raft's vocabulary: ids, log entries, membership, durable state. Plain data, no I/O.
//
// Id choices: NodeId and Term are the project's strong ids (common/strong_id.h); a log Index is a
// plain int64_t because Raft does arithmetic on it everywhere (index 0 means "before the first
// entry", the first entry has index 1). GroupId names one Raft group so that many groups (the
// controller quorum and every partition) share one connection between two brokers.

#include <chrono>
#include <cstdint>
#include <vector>

#include "common/strong_id.h"

namespace broker::raft {

using NodeId = common::NodeId;
using Term = common::Term;
using Index = int64_t;
using GroupId = common::StrongId<struct RaftGroupIdTag, int64_t>;
using Bytes = std::vector<uint8_t>;
// Time as the node sees it: milliseconds on a monotonic clock (simulated in tests).
using Millis = std::chrono::milliseconds;

// "Nobody": no vote cast, no leader known.
inline constexpr NodeId kNoNode{-1};

enum class EntryType : uint8_t {
    Data = 0,           // a state-machine command (a proposal)
    Configuration = 1,  // a membership (payload: Membership::encode())
    Noop = 2,           // appended by every new leader to commit entries of earlier terms
};

// One log entry. `payload` is opaque to Raft except for Configuration entries.
struct Entry {
    Term term;
    Index index = 0;
    EntryType type = EntryType::Data;
    Bytes payload;

    friend bool operator==(const Entry&, const Entry&) = default;
};

// Where an entry sits: a proposal is committed at `index` only if the committed entry there still
// has `term` (a new leader may overwrite uncommitted entries).
struct LogPosition {
    Index index = 0;
    Term term{0};

    friend bool operator==(const LogPosition&, const LogPosition&) = default;
};

// Role of a node in its group. A learner is a Follower that is not in the voter set; it never
// becomes a candidate.
enum class Role : uint8_t { Follower, PreCandidate, Candidate, Leader };

const char* to_string(Role role);

// What must be durable before a node votes or acknowledges: the current term and the vote cast
// in it (kNoNode when none).
struct HardState {
    Term term{0};
    NodeId voted_for = kNoNode;

    friend bool operator==(const HardState&, const HardState&) = default;
};

}  // namespace broker::raft
