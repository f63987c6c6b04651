#pragma once
// Errors of the Raft core (broker::raft). The partition and controller layers map them to Kafka
// codes in one place (NotLeader -> NOT_LEADER_OR_FOLLOWER / NOT_CONTROLLER, ...).

#include <system_error>

namespace broker::raft {

enum class Errc {
    Ok = 0,
    NotLeader,               // this node does not lead the group (ask leader())
    LeaderNotReady,          // leader has not yet committed an entry of its own term
    ConfigChangeInProgress,  // an earlier membership change is not committed yet
    TransferInProgress,      // a leadership transfer is under way; proposals wait
    UnknownMember,           // the node named is not (or not in that role) a member
    AlreadyMember,           // the node named is already a member
    InvalidMembership,       // the change would leave no voter, or is not one-at-a-time
    NotCaughtUp,             // the learner to promote (or transfer target) lags the leader
    Compacted,               // the index asked for is covered by the snapshot
    Unavailable,             // the index asked for is past the end of the log
    StorageFailed,           // the log storage failed; the node stopped
    Malformed,               // a payload (membership, snapshot) does not decode
    NotStarted,              // start() has not succeeded
};

const std::error_category& raft_category() noexcept;

inline std::error_code make_error_code(Errc e) noexcept {
    return {static_cast<int>(e), raft_category()};
}

}  // namespace broker::raft

template <>
struct std::is_error_code_enum<broker::raft::Errc> : std::true_type {};
