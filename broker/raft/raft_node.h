#pragma once
// RaftNode: one member of one Raft group. Pure: no threads, timers, sockets or files of its own.
// It is driven by tick(now), step(message), on_flushed(seq) and the leader-side calls (propose,
// membership changes, leadership transfer), and acts through the LogStorage, StateMachine and
// Transport it is given (all outlive it). Not thread-safe: everything runs on the owning
// shard/thread. See docs/raft.md for the protocol and the persistence rules.

#include <functional>
#include <map>
#include <optional>
#include <random>
#include <vector>

#include "broker/raft/log_storage.h"
#include "broker/raft/membership.h"
#include "broker/raft/messages.h"
#include "broker/raft/progress.h"
#include "broker/raft/raft_config.h"
#include "broker/raft/state_machine.h"
#include "broker/raft/types.h"
#include "common/result.h"

namespace broker::raft {

// What the node reports when its role, term or known leader changes.
struct NodeStatus {
    Role role = Role::Follower;
    Term term{0};
    NodeId leader = kNoNode;
};

class RaftNode {
  public:
    // Called after the change is made; must not call mutating methods of the node.
    struct Callbacks {
        std::function<void(const NodeStatus&)> on_status_change;
        std::function<void(Index commit_index)> on_commit;
    };

    RaftNode(RaftConfig config, LogStorage& storage, StateMachine& state_machine,
             Transport& transport, Callbacks callbacks = {});
    RaftNode(const RaftNode&) = delete;
    RaftNode& operator=(const RaftNode&) = delete;

    // Recovers term, vote, snapshot, log and membership from storage and restores the state
    // machine from the snapshot. `initial` is the founding membership of a new group, used only
    // when storage is empty (it is stored as the index-0 snapshot; every founder passes the same);
    // a node joining an existing group passes an empty membership and waits to be contacted.
    common::Result<void> start(Millis now, const Membership& initial = {});

    // ---- inputs ----
    void tick(Millis now);
    void step(const Message& msg);
    // The storage completed flush(seq) (and every earlier one).
    void on_flushed(uint64_t seq);

    // ---- leader-side requests ----
    // Appends a data entry. Errc::NotLeader, Errc::TransferInProgress.
    common::Result<LogPosition> propose(Bytes payload);
    // One-at-a-time membership changes; each is committed like a proposal. Allowed once the
    // leader committed an entry of its term and the previous change is committed.
    common::Result<LogPosition> add_learner(NodeId id);
    common::Result<LogPosition> promote_learner(NodeId id);  // learner must be caught up
    common::Result<LogPosition> remove_member(NodeId id);    // a voter or a learner
    // Hands leadership to a caught-up voter (TimeoutNow once it has the whole log). Proposals
    // are refused until the transfer ends (target elected, or an election timeout passes).
    common::Result<void> transfer_leadership(NodeId target);
    // Snapshots the applied state and drops the log it covers.
    common::Result<void> snapshot_now();
    // Owner-driven heartbeats (heartbeat_interval == 0): the heartbeat this leader would send to
    // `peer` now, or nothing when not leading or `peer` is not a member.
    std::optional<HeartbeatRequest> heartbeat_to(NodeId peer);

    // ---- queries ----
    NodeId id() const { return config_.self; }
    GroupId group() const { return config_.group; }
    Role role() const { return role_; }
    Term term() const { return term_; }
    NodeId leader() const { return leader_; }
    bool is_leader() const { return role_ == Role::Leader; }
    Millis now() const { return now_; }  // as of the last tick()
    // True once this leader committed an entry of its term: from then on commit_index() is the
    // high watermark.
    bool leader_ready() const;
    Index commit_index() const { return commit_index_; }
    Index applied_index() const { return applied_index_; }
    Index last_index() const;
    const Membership& membership() const { return membership_; }
    bool stopped() const { return stopped_; }
    // Entries [from, to] of the local log (durable or not), up to about max_bytes (at least one).
    common::Result<std::vector<Entry>> entries(Index from, Index to, size_t max_bytes) const {
        return storage_.read(from, to, max_bytes);
    }
    // Leader only: the follower's progress (nothing for a non-member or a non-leader).
    std::optional<Progress> progress(NodeId peer) const;
    // Leader only: voters (itself included) that caught up within replica_lag_max; the ISR.
    std::vector<NodeId> in_sync_voters() const;

  private:
    // A message that may leave only once flush `seq` completed, and only if the term it was
    // created in is still current.
    struct Deferred {
        uint64_t seq = 0;
        Term term{0};
        Message msg;
    };
    // A flush in flight and the last log index it covers (lowered when the log is truncated).
    struct PendingFlush {
        uint64_t seq = 0;
        Index last_index = 0;
    };
    // A snapshot being received chunk by chunk.
    struct IncomingSnapshot {
        SnapshotMeta meta;
        Term term{0};
        NodeId leader = kNoNode;
        Bytes data;                // what the state machine assembled to restore and store
        uint64_t next_cursor = 0;  // the chunk expected next
    };

    // Member functions are defined across raft_node.cc, raft_election.cc, raft_replication.cc,
    // raft_snapshot.cc and raft_membership.cc (one file per concern).

    // state transitions (raft_election.cc)
    void become_follower(Term term, NodeId leader);
    void become_pre_candidate();
    void become_candidate(bool transfer);
    void become_leader();
    void maybe_win_election();
    void reset_election_timer();
    bool can_campaign() const;
    bool in_leader_lease() const;
    bool log_up_to_date(Index last_index, Term last_term) const;
    void handle_vote_request(const VoteRequest& req);
    void handle_vote_response(const VoteResponse& resp);
    void handle_timeout_now(const TimeoutNow& msg);
    void tick_election();
    void tick_leader();
    void check_transfer_target(NodeId peer);

    // replication (raft_replication.cc)
    void send_append(NodeId peer, bool allow_empty);
    void broadcast_append();
    void send_heartbeats();
    HeartbeatRequest make_heartbeat(NodeId peer) const;
    void handle_append_request(const AppendEntriesRequest& req);
    void handle_append_response(const AppendEntriesResponse& resp);
    void handle_heartbeat_request(const HeartbeatRequest& req);
    void handle_heartbeat_response(const HeartbeatResponse& resp);
    void reject_append(const AppendEntriesRequest& req);
    bool append_conflicting(const AppendEntriesRequest& req);
    void maybe_advance_commit();
    void advance_commit_to(Index index);
    void apply_committed();
    Term term_or_zero(Index index) const;
    common::Result<LogPosition> append_local(EntryType type, Bytes payload);

    // snapshots (raft_snapshot.cc)
    void send_snapshot_chunk(NodeId peer);
    void handle_snapshot_request(const InstallSnapshotRequest& req);
    void handle_snapshot_response(const InstallSnapshotResponse& resp);
    void install_snapshot(const SnapshotMeta& meta, Bytes data);
    void maybe_auto_snapshot();

    // membership (raft_membership.cc)
    common::Result<LogPosition> propose_membership(Membership next);
    common::Result<void> check_can_change_membership() const;
    void reload_membership();
    void on_membership_changed();
    Membership membership_at(Index index) const;
    void on_membership_committed();

    // persistence and output (raft_node.cc)
    void send(Message msg);
    void send_after_durable(Message msg);
    void persist_hard_state();
    void mark_dirty() { dirty_ = true; }
    void request_flush();
    void on_truncated(Index from);
    void fail(const std::error_code& ec, const char* what);
    void notify_status();
    Millis random_election_timeout();
    MessageHeader header_to(NodeId peer) const;
    Progress* progress_of(NodeId peer);

    RaftConfig config_;
    LogStorage& storage_;
    StateMachine& state_machine_;
    Transport& transport_;
    Callbacks callbacks_;
    std::mt19937_64 rng_;

    bool started_ = false;
    bool stopped_ = false;
    Millis now_{0};
    Role role_ = Role::Follower;
    Term term_{0};
    NodeId voted_for_ = kNoNode;
    NodeId leader_ = kNoNode;
    Index commit_index_ = 0;
    Index applied_index_ = 0;

    // Membership: the latest configuration in the log (in force from its append), the index of
    // its entry, and the configuration entries after the snapshot (to undo on truncation).
    Membership membership_;
    Index membership_index_ = 0;
    std::vector<std::pair<Index, Membership>> config_entries_;

    // Elections.
    Millis last_leader_contact_{0};
    Millis election_deadline_{0};
    std::vector<NodeId> votes_granted_;
    uint64_t candidate_flush_seq_ = 0;  // the flush that makes our own vote durable

    // Leader.
    std::map<NodeId, Progress> progress_;
    Millis next_heartbeat_{0};
    Millis next_quorum_check_{0};
    Index leader_first_index_ = 0;  // index of this leader's first entry (its noop)
    NodeId transfer_target_ = kNoNode;
    Millis transfer_deadline_{0};

    // Durability: flush requests in flight, what they cover, and messages waiting for them.
    uint64_t flush_requested_ = 0;
    uint64_t flush_completed_ = 0;
    bool dirty_ = false;
    Index durable_index_ = 0;
    std::vector<PendingFlush> pending_flushes_;
    std::vector<Deferred> deferred_;

    std::optional<IncomingSnapshot> incoming_snapshot_;
};

}  // namespace broker::raft
