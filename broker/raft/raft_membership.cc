// RaftNode: membership, one server at a time (add learner, promote, remove), and the
// configuration bookkeeping that follows the log.

#include <algorithm>

#include "broker/raft/errc.h"
#include "broker/raft/raft_node.h"

namespace broker::raft {
namespace {

std::vector<NodeId> without(std::vector<NodeId> ids, NodeId id) {
    std::erase(ids, id);
    return ids;
}

std::vector<NodeId> with(std::vector<NodeId> ids, NodeId id) {
    ids.push_back(id);
    return ids;
}

}  // namespace

common::Result<void> RaftNode::check_can_change_membership() const {
    if (!started_ || stopped_) {
        return Errc::NotStarted;
    }
    if (role_ != Role::Leader) {
        return Errc::NotLeader;
    }
    if (transfer_target_ != kNoNode) {
        return Errc::TransferInProgress;
    }
    // The leader must have committed an entry of its term before changing membership, and
    // changes go one at a time: together these keep single-server changes safe.
    if (!leader_ready()) {
        return Errc::LeaderNotReady;
    }
    if (membership_index_ > commit_index_) {
        return Errc::ConfigChangeInProgress;
    }
    return common::ok();
}

common::Result<LogPosition> RaftNode::add_learner(NodeId id) {
    TRIBUTARY_TRY(check_can_change_membership());
    if (membership_.contains(id)) {
        return Errc::AlreadyMember;
    }
    return propose_membership(Membership::of(membership_.voters, with(membership_.learners, id)));
}

common::Result<LogPosition> RaftNode::promote_learner(NodeId id) {
    TRIBUTARY_TRY(check_can_change_membership());
    if (!membership_.is_learner(id)) {
        return Errc::UnknownMember;
    }
    const Progress* pr = progress_of(id);
    if (pr == nullptr || pr->match_index < commit_index_) {
        return Errc::NotCaughtUp;
    }
    return propose_membership(
        Membership::of(with(membership_.voters, id), without(membership_.learners, id)));
}

common::Result<LogPosition> RaftNode::remove_member(NodeId id) {
    TRIBUTARY_TRY(check_can_change_membership());
    if (!membership_.contains(id)) {
        return Errc::UnknownMember;
    }
    if (membership_.is_voter(id) && membership_.voters.size() == 1) {
        return Errc::InvalidMembership;
    }
    return propose_membership(
        Membership::of(without(membership_.voters, id), without(membership_.learners, id)));
}

common::Result<LogPosition> RaftNode::propose_membership(Membership next) {
    Bytes payload = next.encode();
    TRIBUTARY_TRY(pos, append_local(EntryType::Configuration, std::move(payload)));
    config_entries_.emplace_back(pos.index, std::move(next));
    reload_membership();
    broadcast_append();
    maybe_advance_commit();  // a smaller quorum may already hold everything
    return pos;
}

void RaftNode::reload_membership() {
    if (config_entries_.empty() && !started_) {
        // Start: find the configuration entries after the snapshot.
        Index first = storage_.first_index();
        Index last = storage_.last_index();
        while (first <= last) {
            auto batch = storage_.read(first, last, config_.max_append_bytes);
            if (!batch) {
                fail(batch.error(), "read log at start");
                return;
            }
            for (const Entry& e : batch.value()) {
                if (e.type == EntryType::Configuration) {
                    if (auto m = Membership::decode(e.payload)) {
                        config_entries_.emplace_back(e.index, std::move(m).value());
                    }
                }
                first = e.index + 1;
            }
        }
    }
    if (config_entries_.empty()) {
        membership_ = storage_.snapshot_meta().membership;
        membership_index_ = storage_.snapshot_meta().index;
    } else {
        membership_ = config_entries_.back().second;
        membership_index_ = config_entries_.back().first;
    }
    on_membership_changed();
}

void RaftNode::on_membership_changed() {
    if (role_ != Role::Leader) {
        return;
    }
    Index last = storage_.last_index();
    std::erase_if(progress_, [&](const auto& kv) { return !membership_.contains(kv.first); });
    for (NodeId peer : membership_.peers_of(config_.self)) {
        auto [it, added] = progress_.try_emplace(peer);
        Progress& pr = it->second;
        if (added) {
            pr.id = peer;
            pr.next_index = last + 1;
            pr.last_response = now_;
            pr.last_caught_up = Millis(0);
            pr.catch_up_target = last;
        }
        pr.is_voter = membership_.is_voter(peer);
    }
    if (transfer_target_ != kNoNode && !membership_.is_voter(transfer_target_)) {
        transfer_target_ = kNoNode;
    }
}

Membership RaftNode::membership_at(Index index) const {
    for (auto it = config_entries_.rbegin(); it != config_entries_.rend(); ++it) {
        if (it->first <= index) {
            return it->second;
        }
    }
    return storage_.snapshot_meta().membership;
}

void RaftNode::on_membership_committed() {
    if (role_ == Role::Leader && membership_index_ <= commit_index_ &&
        !membership_.is_voter(config_.self)) {
        become_follower(term_, kNoNode);  // removed (or demoted): hand over by stepping down
    }
}

}  // namespace broker::raft
