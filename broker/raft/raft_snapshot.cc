// RaftNode: taking snapshots, sending them in chunks, and installing them on followers.

#include <algorithm>

#include "broker/raft/errc.h"
#include "broker/raft/raft_node.h"

namespace broker::raft {

common::Result<StateMachine::SnapshotChunk> StateMachine::read_snapshot_chunk(const SnapshotMeta&,
                                                                              const Bytes& stored,
                                                                              uint64_t cursor,
                                                                              size_t max_bytes) {
    uint64_t offset = std::min<uint64_t>(cursor, stored.size());
    uint64_t len = std::min<uint64_t>(max_bytes, stored.size() - offset);
    SnapshotChunk chunk;
    chunk.data.assign(stored.begin() + static_cast<std::ptrdiff_t>(offset),
                      stored.begin() + static_cast<std::ptrdiff_t>(offset + len));
    chunk.done = offset + len == stored.size();
    return chunk;
}

common::Result<StateMachine::ChunkReceived> StateMachine::receive_snapshot_chunk(
    const SnapshotMeta&, uint64_t, const Bytes& chunk, bool last, Bytes& stored) {
    stored.insert(stored.end(), chunk.begin(), chunk.end());
    return ChunkReceived{stored.size(), last};
}

common::Result<void> RaftNode::snapshot_now() {
    if (!started_ || stopped_) {
        return Errc::NotStarted;
    }
    if (applied_index_ <= storage_.snapshot_meta().index) {
        return common::ok();
    }
    TRIBUTARY_TRY(data, state_machine_.take_snapshot());
    TRIBUTARY_TRY(term, storage_.term_at(applied_index_));
    SnapshotMeta meta{applied_index_, term, membership_at(applied_index_)};
    auto r = storage_.save_snapshot(meta, std::move(data));
    if (!r) {
        fail(r.error(), "save snapshot");
        return Errc::StorageFailed;
    }
    mark_dirty();
    std::erase_if(config_entries_, [&](const auto& c) { return c.first <= meta.index; });
    return common::ok();
}

void RaftNode::maybe_auto_snapshot() {
    if (config_.snapshot_interval > 0 &&
        applied_index_ - storage_.snapshot_meta().index >= config_.snapshot_interval) {
        (void)snapshot_now();  // a failure already stopped the node
    }
}

void RaftNode::send_snapshot_chunk(NodeId peer) {
    Progress* pr = progress_of(peer);
    if (pr == nullptr) {
        return;
    }
    const SnapshotMeta& meta = storage_.snapshot_meta();
    if (pr->snapshot_index != meta.index) {
        pr->snapshot_index = meta.index;  // a newer snapshot replaced the one being sent
        pr->snapshot_offset = 0;
    }
    auto data = storage_.read_snapshot();
    if (!data) {
        fail(data.error(), "read snapshot");
        return;
    }
    auto chunk = state_machine_.read_snapshot_chunk(meta, data.value(), pr->snapshot_offset,
                                                    config_.snapshot_chunk_bytes);
    if (!chunk) {
        fail(chunk.error(), "read snapshot chunk");
        return;
    }
    InstallSnapshotRequest req{header_to(peer), meta, pr->snapshot_offset,
                               std::move(chunk.value().data), chunk.value().done};
    pr->probe_sent = true;
    send(std::move(req));
}

void RaftNode::handle_snapshot_response(const InstallSnapshotResponse& resp) {
    if (role_ != Role::Leader || resp.header.term != term_) {
        return;
    }
    Progress* pr = progress_of(resp.header.from);
    if (pr == nullptr) {
        return;
    }
    pr->last_response = now_;
    if (pr->state != Progress::State::Snapshot || resp.snapshot_index != pr->snapshot_index) {
        return;
    }
    pr->probe_sent = false;
    if (resp.done) {
        pr->match_index = std::max(pr->match_index, resp.snapshot_index);
        pr->next_index = pr->match_index + 1;
        pr->state = Progress::State::Probe;
        maybe_advance_commit();
        send_append(resp.header.from, true);
        return;
    }
    pr->snapshot_offset = resp.next_offset;
    send_snapshot_chunk(resp.header.from);
}

void RaftNode::handle_snapshot_request(const InstallSnapshotRequest& req) {
    const MessageHeader& h = req.header;
    if (role_ != Role::Follower || leader_ != h.from) {
        become_follower(term_, h.from);
    }
    last_leader_contact_ = now_;
    reset_election_timer();
    InstallSnapshotResponse resp{header_to(h.from), req.meta.index, 0, false};
    if (req.meta.index <= commit_index_) {
        resp.done = true;  // we hold (and have committed) everything it covers already
        send_after_durable(resp);
        return;
    }
    if (req.offset == 0) {
        incoming_snapshot_ = IncomingSnapshot{req.meta, term_, h.from, {}, 0};
    }
    IncomingSnapshot* in = incoming_snapshot_ ? &*incoming_snapshot_ : nullptr;
    if (in == nullptr || in->meta != req.meta || in->term != term_ || in->leader != h.from ||
        in->next_cursor != req.offset) {
        bool same = in != nullptr && in->meta == req.meta && in->term == term_;
        resp.next_offset = same ? in->next_cursor : 0;
        send(resp);
        return;
    }
    auto received =
        state_machine_.receive_snapshot_chunk(in->meta, req.offset, req.data, req.done, in->data);
    if (!received) {
        incoming_snapshot_.reset();
        fail(received.error(), "receive snapshot chunk");
        return;
    }
    in->next_cursor = received.value().next_cursor;
    if (!received.value().complete) {
        resp.next_offset = in->next_cursor;
        send(resp);
        return;
    }
    SnapshotMeta meta = in->meta;
    Bytes data = std::move(in->data);
    incoming_snapshot_.reset();
    install_snapshot(meta, std::move(data));
    if (stopped_) {
        return;
    }
    resp.done = true;
    send_after_durable(resp);
}

void RaftNode::install_snapshot(const SnapshotMeta& meta, Bytes data) {
    auto at = storage_.term_at(meta.index);
    bool keeps_log = at && at.value() == meta.term;
    auto restored = state_machine_.restore_snapshot(meta, data);
    if (!restored) {
        fail(restored.error(), "restore snapshot");
        return;
    }
    auto r = storage_.save_snapshot(meta, std::move(data));
    if (!r) {
        fail(r.error(), "save snapshot");
        return;
    }
    mark_dirty();
    if (keeps_log) {
        std::erase_if(config_entries_, [&](const auto& c) { return c.first <= meta.index; });
        reload_membership();
    } else {
        on_truncated(meta.index + 1);
        config_entries_.clear();
        durable_index_ = std::min(durable_index_, meta.index);
        reload_membership();
    }
    commit_index_ = std::max(commit_index_, meta.index);
    applied_index_ = meta.index;
    if (callbacks_.on_commit) {
        callbacks_.on_commit(commit_index_);
    }
}

}  // namespace broker::raft
