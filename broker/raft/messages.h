#pragma once
// The messages Raft nodes exchange. Every message carries its group id, sender, receiver and the
// sender's term, so that many groups share one connection between two brokers and the transport
// routes by (group, to) without looking further. Plain data: the wire form is rpc_codec.h.

#include <cstdint>
#include <variant>
#include <vector>

#include "broker/raft/membership.h"
#include "broker/raft/types.h"

namespace broker::raft {

// Fields every message starts with.
struct MessageHeader {
    GroupId group;
    NodeId from = kNoNode;
    NodeId to = kNoNode;
    Term term{0};

    friend bool operator==(const MessageHeader&, const MessageHeader&) = default;
};

// Asks for a vote. With pre_vote the sender's own term is unchanged and `term` is the term it
// would campaign in; nobody persists anything for a pre-vote. `leadership_transfer` marks an
// election started by TimeoutNow, which voters grant even while they still hear a leader.
struct VoteRequest {
    MessageHeader header;
    Index last_log_index = 0;
    Term last_log_term{0};
    bool pre_vote = false;
    bool leadership_transfer = false;

    friend bool operator==(const VoteRequest&, const VoteRequest&) = default;
};

// Answer to a VoteRequest. header.term is the voter's term (for a granted pre-vote, the term
// asked about). A granted real vote is sent only once the vote is durable.
struct VoteResponse {
    MessageHeader header;
    bool pre_vote = false;
    bool granted = false;

    friend bool operator==(const VoteResponse&, const VoteResponse&) = default;
};

// Replicates a batch of entries following (prev_log_index, prev_log_term); an empty batch is a
// probe. Several may be in flight to one follower (pipelining).
struct AppendEntriesRequest {
    MessageHeader header;
    Index prev_log_index = 0;
    Term prev_log_term{0};
    Index commit_index = 0;
    std::vector<Entry> entries;

    friend bool operator==(const AppendEntriesRequest&, const AppendEntriesRequest&) = default;
};

// Answer to an AppendEntriesRequest, sent once the follower's log is durable through
// match_index. On rejection the conflict hint lets the leader skip a whole term at once:
// conflict_term is the follower's term at prev_log_index (0 if it has no entry there) and
// conflict_index the first index it holds of that term (or its last index + 1).
struct AppendEntriesResponse {
    MessageHeader header;
    bool success = false;
    Index request_prev_index = 0;  // prev_log_index of the request answered (drops stale replies)
    Index match_index = 0;         // on success: last index known to match the leader's log
    Index conflict_index = 0;      // on rejection: where the leader should retry
    Term conflict_term{0};         // on rejection: see above
    Index last_log_index = 0;      // the follower's last index (durable or not)

    friend bool operator==(const AppendEntriesResponse&, const AppendEntriesResponse&) = default;
};

// Keeps followers from campaigning and carries the commit index. Deliberately light (no log
// check): commit_index is min(leader commit, follower match), so a follower may adopt it as is.
// The transport may coalesce the heartbeats of every group between two brokers into one frame.
struct HeartbeatRequest {
    MessageHeader header;
    Index commit_index = 0;

    friend bool operator==(const HeartbeatRequest&, const HeartbeatRequest&) = default;
};

// Answer to a HeartbeatRequest (counts as a sign of life for check-quorum).
struct HeartbeatResponse {
    MessageHeader header;

    friend bool operator==(const HeartbeatResponse&, const HeartbeatResponse&) = default;
};

// One chunk of a snapshot: bytes [offset, offset + data.size()) of the snapshot's data. `done`
// marks the last chunk. A follower accepts chunks in order only.
struct InstallSnapshotRequest {
    MessageHeader header;
    SnapshotMeta meta;
    uint64_t offset = 0;
    Bytes data;
    bool done = false;

    friend bool operator==(const InstallSnapshotRequest&, const InstallSnapshotRequest&) = default;
};

// Answer to a snapshot chunk: the offset the follower expects next (the leader resends from
// there after a loss). `done` is set once the whole snapshot is installed and durable.
struct InstallSnapshotResponse {
    MessageHeader header;
    Index snapshot_index = 0;
    uint64_t next_offset = 0;
    bool done = false;

    friend bool operator==(const InstallSnapshotResponse&,
                           const InstallSnapshotResponse&) = default;
};

// Leadership transfer: tells a caught-up follower to start an election now.
struct TimeoutNow {
    MessageHeader header;

    friend bool operator==(const TimeoutNow&, const TimeoutNow&) = default;
};

using Message = std::variant<VoteRequest, VoteResponse, AppendEntriesRequest, AppendEntriesResponse,
                             HeartbeatRequest, HeartbeatResponse, InstallSnapshotRequest,
                             InstallSnapshotResponse, TimeoutNow>;

const MessageHeader& header_of(const Message& msg);
MessageHeader& header_of(Message& msg);
// Short name of the message kind, for logs and traces.
const char* kind_name(const Message& msg);

// Where a node's outgoing messages go (TcpTransport in production, the simulated network in
// tests). send() never blocks and never calls back into the node; delivery is best effort
// (Raft tolerates loss, duplication and reordering).
class Transport {
  public:
    virtual ~Transport() = default;
    virtual void send(Message msg) = 0;
};

}  // namespace broker::raft
