// RaftNode: log replication (leader side and follower side), heartbeats, commit and apply.

#include <algorithm>

#include "broker/raft/errc.h"
#include "broker/raft/raft_node.h"

namespace broker::raft {
namespace {

// Longest backward scan for the first index of a conflicting term; a shorter hint is still
// correct, it only costs the leader another round trip.
constexpr Index kMaxConflictScan = 4096;

}  // namespace

common::Result<LogPosition> RaftNode::append_local(EntryType type, Bytes payload) {
    Entry e{term_, storage_.last_index() + 1, type, std::move(payload)};
    LogPosition pos{e.index, e.term};
    auto r = storage_.append(std::span<const Entry>(&e, 1));
    if (!r) {
        fail(r.error(), "append");
        return Errc::StorageFailed;
    }
    mark_dirty();
    request_flush();
    return pos;
}

void RaftNode::broadcast_append() {
    for (auto& [id, pr] : progress_) {
        send_append(id, false);
    }
}

void RaftNode::send_append(NodeId peer, bool allow_empty) {
    Progress* pr = progress_of(peer);
    if (pr == nullptr) {
        return;
    }
    for (;;) {
        if (pr->state == Progress::State::Snapshot) {
            if (!pr->probe_sent) {
                send_snapshot_chunk(peer);
            }
            return;
        }
        if ((pr->state == Progress::State::Probe && pr->probe_sent) ||
            (pr->state == Progress::State::Replicate &&
             pr->inflight.size() >= config_.max_inflight_appends)) {
            return;
        }
        Index last = storage_.last_index();
        Index prev = pr->next_index - 1;
        auto prev_term = storage_.term_at(prev);
        std::vector<Entry> entries;
        if (prev_term && pr->next_index <= last) {
            auto read = storage_.read(pr->next_index, last, config_.max_append_bytes);
            if (!read) {
                prev_term = read.error();
            } else {
                entries = std::move(read).value();
            }
        }
        if (!prev_term) {
            // What the follower needs is compacted: send the snapshot instead.
            pr->state = Progress::State::Snapshot;
            pr->snapshot_index = storage_.snapshot_meta().index;
            pr->snapshot_offset = 0;
            pr->probe_sent = false;
            pr->inflight.clear();
            continue;
        }
        if (entries.empty() && !allow_empty) {
            return;
        }
        AppendEntriesRequest req{header_to(peer), prev, prev_term.value(), commit_index_, {}};
        if (!entries.empty()) {
            Index batch_last = entries.back().index;
            if (pr->state == Progress::State::Replicate) {
                pr->next_index = batch_last + 1;
                pr->inflight.push_back(batch_last);
            }
            req.entries = std::move(entries);
        }
        if (pr->state == Progress::State::Probe) {
            pr->probe_sent = true;
        }
        send(std::move(req));
        if (pr->state != Progress::State::Replicate || pr->next_index > last) {
            return;
        }
        allow_empty = false;
    }
}

HeartbeatRequest RaftNode::make_heartbeat(NodeId peer) const {
    auto it = progress_.find(peer);
    Index match = it == progress_.end() ? 0 : it->second.match_index;
    return HeartbeatRequest{header_to(peer), std::min(commit_index_, match)};
}

void RaftNode::send_heartbeats() {
    for (const auto& [id, pr] : progress_) {
        send(make_heartbeat(id));
    }
}

std::optional<HeartbeatRequest> RaftNode::heartbeat_to(NodeId peer) {
    if (!started_ || stopped_ || role_ != Role::Leader || progress_.count(peer) == 0) {
        return std::nullopt;
    }
    return make_heartbeat(peer);
}

// ---- follower side ----

void RaftNode::handle_append_request(const AppendEntriesRequest& req) {
    const MessageHeader& h = req.header;
    if (role_ != Role::Follower || leader_ != h.from) {
        become_follower(term_, h.from);
    }
    last_leader_contact_ = now_;
    reset_election_timer();
    AppendEntriesResponse resp{header_to(h.from)};
    resp.request_prev_index = req.prev_log_index;
    if (req.prev_log_index < commit_index_) {
        // Everything up to our commit index is committed, hence matches the leader's log.
        resp.success = true;
        resp.match_index = commit_index_;
        resp.last_log_index = storage_.last_index();
        send_after_durable(resp);
        return;
    }
    auto prev_term = storage_.term_at(req.prev_log_index);
    if (!prev_term || prev_term.value() != req.prev_log_term) {
        reject_append(req);
        return;
    }
    if (!append_conflicting(req)) {
        return;  // storage failed
    }
    Index match = req.prev_log_index + static_cast<Index>(req.entries.size());
    advance_commit_to(std::min(req.commit_index, match));
    resp.success = true;
    resp.match_index = match;
    resp.last_log_index = storage_.last_index();
    send_after_durable(resp);
}

bool RaftNode::append_conflicting(const AppendEntriesRequest& req) {
    size_t i = 0;
    for (; i < req.entries.size(); ++i) {
        const Entry& e = req.entries[i];
        if (e.index > storage_.last_index()) {
            break;
        }
        auto t = storage_.term_at(e.index);
        if (t && t.value() == e.term) {
            continue;
        }
        if (e.index <= commit_index_) {
            fail(Errc::InvalidMembership, "append (conflict below the commit index)");
            return false;
        }
        auto r = storage_.truncate_suffix(e.index);
        if (!r) {
            fail(r.error(), "truncate");
            return false;
        }
        mark_dirty();
        on_truncated(e.index);
        break;
    }
    if (i == req.entries.size()) {
        return true;
    }
    std::span<const Entry> rest(req.entries.data() + i, req.entries.size() - i);
    auto r = storage_.append(rest);
    if (!r) {
        fail(r.error(), "append");
        return false;
    }
    mark_dirty();
    bool config_seen = false;
    for (const Entry& e : rest) {
        if (e.type != EntryType::Configuration) {
            continue;
        }
        auto m = Membership::decode(e.payload);
        if (m) {
            config_entries_.emplace_back(e.index, std::move(m).value());
            config_seen = true;
        }
    }
    if (config_seen) {
        reload_membership();
    }
    return true;
}

void RaftNode::reject_append(const AppendEntriesRequest& req) {
    AppendEntriesResponse resp{header_to(req.header.from)};
    resp.request_prev_index = req.prev_log_index;
    Index last = storage_.last_index();
    resp.last_log_index = last;
    if (req.prev_log_index > last) {
        resp.conflict_index = last + 1;
    } else {
        Term t = term_or_zero(req.prev_log_index);
        Index i = req.prev_log_index;
        Index floor = std::max(storage_.snapshot_meta().index + 1, i - kMaxConflictScan);
        while (i > floor && term_or_zero(i - 1) == t) {
            --i;
        }
        resp.conflict_term = t;
        resp.conflict_index = i;
    }
    send(resp);
}

void RaftNode::handle_heartbeat_request(const HeartbeatRequest& req) {
    if (role_ != Role::Follower || leader_ != req.header.from) {
        become_follower(term_, req.header.from);
    }
    last_leader_contact_ = now_;
    reset_election_timer();
    advance_commit_to(std::min(req.commit_index, storage_.last_index()));
    send(HeartbeatResponse{header_to(req.header.from)});
}

// ---- leader side ----

void RaftNode::handle_append_response(const AppendEntriesResponse& resp) {
    if (role_ != Role::Leader || resp.header.term != term_) {
        return;
    }
    Progress* pr = progress_of(resp.header.from);
    if (pr == nullptr) {
        return;
    }
    NodeId peer = resp.header.from;
    pr->last_response = now_;
    if (resp.success) {
        pr->match_index = std::max(pr->match_index, resp.match_index);
        while (!pr->inflight.empty() && pr->inflight.front() <= pr->match_index) {
            pr->inflight.pop_front();
        }
        if (pr->state == Progress::State::Probe) {
            pr->state = Progress::State::Replicate;
            pr->inflight.clear();
            pr->probe_sent = false;
        }
        pr->next_index = std::max(pr->next_index, pr->match_index + 1);
        if (pr->match_index >= pr->catch_up_target) {
            pr->last_caught_up = now_;
            pr->catch_up_target = storage_.last_index();
        }
        maybe_advance_commit();
        check_transfer_target(peer);
        send_append(peer, false);
        return;
    }
    if (resp.request_prev_index <= pr->match_index ||
        (pr->state == Progress::State::Probe && resp.request_prev_index != pr->next_index - 1) ||
        pr->state == Progress::State::Snapshot) {
        return;  // answers a request we no longer care about
    }
    Index next = resp.conflict_index;
    if (resp.conflict_term > Term(0)) {
        Index i = std::min(resp.request_prev_index, storage_.last_index());
        Index floor = std::max(storage_.snapshot_meta().index, i - kMaxConflictScan);
        while (i > floor && term_or_zero(i) > resp.conflict_term) {
            --i;
        }
        if (term_or_zero(i) == resp.conflict_term) {
            next = i + 1;
        }
    }
    // Retry below the rejected index, never below what the follower already acknowledged.
    next = std::max(std::min(next, resp.request_prev_index), pr->match_index + 1);
    pr->state = Progress::State::Probe;
    pr->next_index = next;
    pr->inflight.clear();
    pr->probe_sent = false;
    send_append(peer, true);
}

void RaftNode::handle_heartbeat_response(const HeartbeatResponse& resp) {
    if (role_ != Role::Leader || resp.header.term != term_) {
        return;
    }
    Progress* pr = progress_of(resp.header.from);
    if (pr == nullptr) {
        return;
    }
    pr->last_response = now_;
    pr->probe_sent = false;
    if (pr->match_index >= storage_.last_index()) {
        pr->last_caught_up = now_;  // it holds everything and answers: in sync while idle too
        pr->catch_up_target = storage_.last_index();
    }
    if (pr->state == Progress::State::Replicate &&
        pr->inflight.size() >= config_.max_inflight_appends) {
        pr->inflight.pop_front();  // a batch may be lost: make room to find out
    }
    if (pr->match_index < storage_.last_index()) {
        send_append(resp.header.from, true);
    }
}

void RaftNode::maybe_advance_commit() {
    if (role_ != Role::Leader || membership_.voters.empty()) {
        return;
    }
    std::vector<Index> matches;
    for (NodeId id : membership_.voters) {
        if (id == config_.self) {
            matches.push_back(durable_index_);
        } else if (const Progress* pr = progress_of(id)) {
            matches.push_back(pr->match_index);
        } else {
            matches.push_back(0);
        }
    }
    std::sort(matches.begin(), matches.end(), std::greater<>());
    Index n = matches[membership_.quorum() - 1];
    // Only entries of the current term are committed by counting (Raft §5.4.2).
    if (n > commit_index_ && term_or_zero(n) == term_) {
        advance_commit_to(n);
    }
}

void RaftNode::advance_commit_to(Index index) {
    if (index <= commit_index_ || stopped_) {
        return;
    }
    commit_index_ = index;
    apply_committed();
    if (stopped_) {
        return;
    }
    on_membership_committed();
    if (callbacks_.on_commit) {
        callbacks_.on_commit(commit_index_);
    }
    maybe_auto_snapshot();
}

void RaftNode::apply_committed() {
    while (applied_index_ < commit_index_) {
        auto batch = storage_.read(applied_index_ + 1, commit_index_, config_.max_append_bytes);
        if (!batch) {
            fail(batch.error(), "read committed entries");
            return;
        }
        for (const Entry& e : batch.value()) {
            state_machine_.apply(e);
            applied_index_ = e.index;
        }
    }
}

Term RaftNode::term_or_zero(Index index) const {
    auto t = storage_.term_at(index);
    return t ? t.value() : Term(0);
}

}  // namespace broker::raft
