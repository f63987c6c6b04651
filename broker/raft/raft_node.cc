// RaftNode: lifecycle, input dispatch, queries, and the durability bookkeeping (flush requests,
// messages held until their flush completes).

#include "broker/raft/raft_node.h"

#include <algorithm>
#include <limits>

#include "broker/raft/errc.h"
#include "common/log.h"

namespace broker::raft {
namespace {

// Requests that an old leader or candidate must hear our newer term from.
bool is_request(const Message& msg) {
    return std::holds_alternative<AppendEntriesRequest>(msg) ||
           std::holds_alternative<HeartbeatRequest>(msg) ||
           std::holds_alternative<InstallSnapshotRequest>(msg);
}

// Messages only a leader sends: a higher term in one of them names the new leader.
bool is_from_leader(const Message& msg) {
    return is_request(msg) || std::holds_alternative<TimeoutNow>(msg);
}

// Rejects what no correct peer sends (a batch that does not follow prev_log_index one by one,
// terms above the sender's or going backwards, negative indexes), so a bad frame is dropped
// instead of reaching the log.
bool well_formed(const Message& msg) {
    if (const auto* a = std::get_if<AppendEntriesRequest>(&msg)) {
        if (a->prev_log_index < 0 || a->commit_index < 0) {
            return false;
        }
        Index expected = a->prev_log_index + 1;
        Term last = a->prev_log_term;
        for (const Entry& e : a->entries) {
            if (e.index != expected++ || e.term < last || e.term > a->header.term) {
                return false;
            }
            last = e.term;
        }
        return true;
    }
    if (const auto* s = std::get_if<InstallSnapshotRequest>(&msg)) {
        return s->meta.index >= 0 && s->meta.term <= s->header.term;
    }
    if (const auto* h = std::get_if<HeartbeatRequest>(&msg)) {
        return h->commit_index >= 0;
    }
    return true;
}

}  // namespace

RaftNode::RaftNode(RaftConfig config, LogStorage& storage, StateMachine& state_machine,
                   Transport& transport, Callbacks callbacks)
    : config_(std::move(config)),
      storage_(storage),
      state_machine_(state_machine),
      transport_(transport),
      callbacks_(std::move(callbacks)),
      rng_(config_.seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(config_.self.value())) {}

common::Result<void> RaftNode::start(Millis now, const Membership& initial) {
    now_ = now;
    const SnapshotMeta& snap = storage_.snapshot_meta();
    if (storage_.last_index() == 0 && snap.index == 0 && snap.membership.empty() &&
        !initial.empty()) {
        TRIBUTARY_TRY(storage_.save_snapshot(SnapshotMeta{0, Term(0), initial}, {}));
        mark_dirty();
    }
    HardState hs = storage_.hard_state();
    term_ = hs.term;
    voted_for_ = hs.voted_for;
    if (storage_.snapshot_meta().index > 0) {
        TRIBUTARY_TRY(data, storage_.read_snapshot());
        TRIBUTARY_TRY(state_machine_.restore_snapshot(storage_.snapshot_meta(), data));
    }
    commit_index_ = applied_index_ = storage_.snapshot_meta().index;
    durable_index_ = storage_.last_index();  // what storage recovered is on disk
    reload_membership();
    if (stopped_) {
        return Errc::StorageFailed;
    }
    role_ = Role::Follower;
    leader_ = kNoNode;
    started_ = true;
    reset_election_timer();
    if (dirty_) {
        request_flush();
    }
    return common::ok();
}

void RaftNode::tick(Millis now) {
    if (!started_ || stopped_) {
        return;
    }
    now_ = std::max(now_, now);
    if (role_ == Role::Leader) {
        tick_leader();
    } else {
        tick_election();
    }
}

void RaftNode::step(const Message& msg) {
    const MessageHeader& h = header_of(msg);
    if (!started_ || stopped_ || h.group != config_.group || h.to != config_.self ||
        h.from == config_.self || !well_formed(msg)) {
        return;
    }
    if (h.term < term_) {
        // A stale sender: tell an old leader our term so it steps down; drop the rest.
        if (std::holds_alternative<HeartbeatRequest>(msg)) {
            send(HeartbeatResponse{header_to(h.from)});
        } else if (is_request(msg)) {
            AppendEntriesResponse resp{header_to(h.from)};
            resp.last_log_index = storage_.last_index();
            send(resp);
        } else if (const auto* vote = std::get_if<VoteRequest>(&msg); vote && vote->pre_vote) {
            send(VoteResponse{header_to(h.from), true, false});
        }
        return;
    }
    if (h.term > term_) {
        if (std::holds_alternative<VoteRequest>(msg)) {
            // handle_vote_request decides whether the new term is adopted.
        } else if (const auto* resp = std::get_if<VoteResponse>(&msg);
                   resp && resp->pre_vote && resp->granted) {
            // A granted pre-vote carries the term we would campaign in.
        } else {
            become_follower(h.term, is_from_leader(msg) ? h.from : kNoNode);
        }
    }
    std::visit(
        [this](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, VoteRequest>) {
                handle_vote_request(m);
            } else if constexpr (std::is_same_v<T, VoteResponse>) {
                handle_vote_response(m);
            } else if constexpr (std::is_same_v<T, AppendEntriesRequest>) {
                handle_append_request(m);
            } else if constexpr (std::is_same_v<T, AppendEntriesResponse>) {
                handle_append_response(m);
            } else if constexpr (std::is_same_v<T, HeartbeatRequest>) {
                handle_heartbeat_request(m);
            } else if constexpr (std::is_same_v<T, HeartbeatResponse>) {
                handle_heartbeat_response(m);
            } else if constexpr (std::is_same_v<T, InstallSnapshotRequest>) {
                handle_snapshot_request(m);
            } else if constexpr (std::is_same_v<T, InstallSnapshotResponse>) {
                handle_snapshot_response(m);
            } else {
                handle_timeout_now(m);
            }
        },
        msg);
}

void RaftNode::on_flushed(uint64_t seq) {
    if (!started_ || stopped_ || seq <= flush_completed_) {
        return;
    }
    flush_completed_ = std::min(seq, flush_requested_);
    while (!pending_flushes_.empty() && pending_flushes_.front().seq <= flush_completed_) {
        durable_index_ = pending_flushes_.front().last_index;
        pending_flushes_.erase(pending_flushes_.begin());
    }
    auto ready = std::stable_partition(deferred_.begin(), deferred_.end(),
                                       [this](const auto& d) { return d.seq <= flush_completed_; });
    std::vector<Deferred> out(std::make_move_iterator(deferred_.begin()),
                              std::make_move_iterator(ready));
    deferred_.erase(deferred_.begin(), ready);
    for (Deferred& d : out) {
        if (d.term == term_) {  // never speak for a term we have left since
            send(std::move(d.msg));
        }
    }
    if (role_ == Role::Leader) {
        maybe_advance_commit();
    } else if (role_ == Role::Candidate) {
        maybe_win_election();
    }
}

common::Result<LogPosition> RaftNode::propose(Bytes payload) {
    if (!started_ || stopped_) {
        return Errc::NotStarted;
    }
    if (role_ != Role::Leader) {
        return Errc::NotLeader;
    }
    if (transfer_target_ != kNoNode) {
        return Errc::TransferInProgress;
    }
    TRIBUTARY_TRY(pos, append_local(EntryType::Data, std::move(payload)));
    broadcast_append();
    return pos;
}

bool RaftNode::leader_ready() const {
    return role_ == Role::Leader && commit_index_ >= leader_first_index_;
}

Index RaftNode::last_index() const {
    return storage_.last_index();
}

std::optional<Progress> RaftNode::progress(NodeId peer) const {
    if (role_ != Role::Leader) {
        return std::nullopt;
    }
    auto it = progress_.find(peer);
    if (it == progress_.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::vector<NodeId> RaftNode::in_sync_voters() const {
    std::vector<NodeId> out;
    if (role_ != Role::Leader) {
        return out;
    }
    for (NodeId id : membership_.voters) {
        if (id == config_.self) {
            out.push_back(id);
            continue;
        }
        auto it = progress_.find(id);
        if (it != progress_.end() && now_ - it->second.last_caught_up <= config_.replica_lag_max) {
            out.push_back(id);
        }
    }
    return out;
}

// ---- persistence and output ----

void RaftNode::send(Message msg) {
    transport_.send(std::move(msg));
}

void RaftNode::send_after_durable(Message msg) {
    if (dirty_) {
        request_flush();
    }
    if (flush_requested_ > flush_completed_) {
        deferred_.push_back(Deferred{flush_requested_, term_, std::move(msg)});
    } else {
        send(std::move(msg));
    }
}

void RaftNode::persist_hard_state() {
    auto r = storage_.save_hard_state(HardState{term_, voted_for_});
    if (!r) {
        fail(r.error(), "save term and vote");
        return;
    }
    mark_dirty();
}

void RaftNode::request_flush() {
    dirty_ = false;
    ++flush_requested_;
    pending_flushes_.push_back(PendingFlush{flush_requested_, storage_.last_index()});
    storage_.flush(flush_requested_);
}

void RaftNode::on_truncated(Index from) {
    durable_index_ = std::min(durable_index_, from - 1);
    for (PendingFlush& p : pending_flushes_) {
        p.last_index = std::min(p.last_index, from - 1);
    }
    while (!config_entries_.empty() && config_entries_.back().first >= from) {
        config_entries_.pop_back();
    }
    reload_membership();
}

void RaftNode::fail(const std::error_code& ec, const char* what) {
    common::log::get("raft")->error("group {} node {}: {} failed: {}; the node stops",
                                    config_.group.value(), config_.self.value(), what,
                                    ec.message());
    stopped_ = true;
    role_ = Role::Follower;
    leader_ = kNoNode;
    progress_.clear();
    deferred_.clear();
    notify_status();
}

void RaftNode::notify_status() {
    if (callbacks_.on_status_change) {
        callbacks_.on_status_change(NodeStatus{role_, term_, leader_});
    }
}

Millis RaftNode::random_election_timeout() {
    auto span = (config_.election_timeout_max - config_.election_timeout_min).count();
    if (span <= 0) {
        return config_.election_timeout_min;
    }
    std::uniform_int_distribution<int64_t> dist(0, span - 1);
    return config_.election_timeout_min + Millis(dist(rng_));
}

MessageHeader RaftNode::header_to(NodeId peer) const {
    return MessageHeader{config_.group, config_.self, peer, term_};
}

Progress* RaftNode::progress_of(NodeId peer) {
    auto it = progress_.find(peer);
    return it == progress_.end() ? nullptr : &it->second;
}

}  // namespace broker::raft
