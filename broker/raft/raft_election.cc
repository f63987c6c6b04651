// RaftNode: roles, timers, pre-vote and vote, check-quorum, leadership transfer.

#include "broker/raft/raft_node.h"

#include <algorithm>

#include "broker/raft/errc.h"

namespace broker::raft {

void RaftNode::become_follower(Term term, NodeId leader) {
    bool changed = role_ != Role::Follower || term != term_ || leader != leader_;
    if (term > term_) {
        term_ = term;
        voted_for_ = kNoNode;
        persist_hard_state();
    }
    role_ = Role::Follower;
    leader_ = leader;
    votes_granted_.clear();
    progress_.clear();
    transfer_target_ = kNoNode;
    if (leader != kNoNode) {
        last_leader_contact_ = now_;
    }
    reset_election_timer();
    if (changed) {
        notify_status();
    }
}

void RaftNode::become_pre_candidate() {
    role_ = Role::PreCandidate;
    leader_ = kNoNode;
    votes_granted_ = {config_.self};
    reset_election_timer();
    notify_status();
    Index last = storage_.last_index();
    for (NodeId voter : membership_.voters) {
        if (voter == config_.self) {
            continue;
        }
        MessageHeader h = header_to(voter);
        h.term = Term(term_.value() + 1);
        send(VoteRequest{h, last, term_or_zero(last), true, false});
    }
    maybe_win_election();
}

void RaftNode::become_candidate(bool transfer) {
    term_ = Term(term_.value() + 1);
    voted_for_ = config_.self;
    persist_hard_state();
    role_ = Role::Candidate;
    leader_ = kNoNode;
    votes_granted_ = {config_.self};
    reset_election_timer();
    request_flush();  // our own vote counts once durable (maybe_win_election checks)
    candidate_flush_seq_ = flush_requested_;
    notify_status();
    Index last = storage_.last_index();
    for (NodeId voter : membership_.voters) {
        if (voter != config_.self) {
            send_after_durable(
                VoteRequest{header_to(voter), last, term_or_zero(last), false, transfer});
        }
    }
    maybe_win_election();
}

void RaftNode::maybe_win_election() {
    size_t granted = 0;
    for (NodeId id : votes_granted_) {
        granted += membership_.is_voter(id) ? 1 : 0;
    }
    if (granted < membership_.quorum()) {
        return;
    }
    if (role_ == Role::PreCandidate) {
        become_candidate(false);
    } else if (role_ == Role::Candidate && flush_completed_ >= candidate_flush_seq_) {
        become_leader();
    }
}

void RaftNode::become_leader() {
    role_ = Role::Leader;
    leader_ = config_.self;
    votes_granted_.clear();
    transfer_target_ = kNoNode;
    progress_.clear();
    Index last = storage_.last_index();
    for (NodeId peer : membership_.peers_of(config_.self)) {
        Progress pr;
        pr.id = peer;
        pr.is_voter = membership_.is_voter(peer);
        pr.next_index = last + 1;
        pr.last_response = now_;
        pr.last_caught_up = now_;
        pr.catch_up_target = last;
        progress_.emplace(peer, pr);
    }
    next_heartbeat_ = now_ + config_.heartbeat_interval;
    next_quorum_check_ = now_ + config_.election_timeout_max;
    notify_status();
    auto noop = append_local(EntryType::Noop, {});
    if (!noop) {
        return;
    }
    leader_first_index_ = noop.value().index;
    broadcast_append();
    maybe_advance_commit();
}

bool RaftNode::can_campaign() const {
    if (membership_.is_voter(config_.self)) {
        return true;
    }
    // A voter whose removal is not known to be committed still campaigns (and, if elected,
    // leads the new configuration without counting itself until the removal commits):
    // otherwise a removal that only the removed node holds could leave nobody able to win.
    return membership_index_ > commit_index_ &&
           membership_at(membership_index_ - 1).is_voter(config_.self);
}

void RaftNode::reset_election_timer() {
    election_deadline_ = now_ + random_election_timeout();
}

bool RaftNode::in_leader_lease() const {
    if (role_ == Role::Leader) {
        return true;
    }
    return leader_ != kNoNode && now_ - last_leader_contact_ < config_.election_timeout_min;
}

bool RaftNode::log_up_to_date(Index last_index, Term last_term) const {
    Index my_last = storage_.last_index();
    Term my_term = term_or_zero(my_last);
    return last_term > my_term || (last_term == my_term && last_index >= my_last);
}

void RaftNode::handle_vote_request(const VoteRequest& req) {
    const MessageHeader& h = req.header;
    bool lease = !req.leadership_transfer && in_leader_lease();
    if (req.pre_vote) {
        bool grant =
            h.term > term_ && !lease && log_up_to_date(req.last_log_index, req.last_log_term);
        MessageHeader out = header_to(h.from);
        if (grant) {
            out.term = h.term;
        }
        send(VoteResponse{out, true, grant});
        return;
    }
    if (h.term > term_) {
        if (lease) {
            return;  // a leader is alive: do not let a (removed or cut-off) node depose it
        }
        become_follower(h.term, kNoNode);
    }
    bool can_vote = voted_for_ == h.from || (voted_for_ == kNoNode && leader_ == kNoNode);
    bool grant = can_vote && log_up_to_date(req.last_log_index, req.last_log_term);
    if (grant) {
        voted_for_ = h.from;
        persist_hard_state();
        reset_election_timer();
    }
    send_after_durable(VoteResponse{header_to(h.from), false, grant});
}

void RaftNode::handle_vote_response(const VoteResponse& resp) {
    const MessageHeader& h = resp.header;
    if (!resp.granted) {
        return;
    }
    bool counts =
        (resp.pre_vote && role_ == Role::PreCandidate && h.term == Term(term_.value() + 1)) ||
        (!resp.pre_vote && role_ == Role::Candidate && h.term == term_);
    if (counts &&
        std::find(votes_granted_.begin(), votes_granted_.end(), h.from) == votes_granted_.end()) {
        votes_granted_.push_back(h.from);
        maybe_win_election();
    }
}

void RaftNode::handle_timeout_now(const TimeoutNow& msg) {
    if (msg.header.term == term_ && role_ != Role::Leader && can_campaign()) {
        become_candidate(true);
    }
}

void RaftNode::tick_election() {
    if (now_ < election_deadline_) {
        return;
    }
    if (!can_campaign()) {
        reset_election_timer();  // learners and non-members never campaign
        return;
    }
    if (config_.pre_vote) {
        become_pre_candidate();
    } else {
        become_candidate(false);
    }
}

void RaftNode::tick_leader() {
    if (config_.heartbeat_interval.count() > 0 && now_ >= next_heartbeat_) {
        send_heartbeats();
        next_heartbeat_ = now_ + config_.heartbeat_interval;
    }
    if (transfer_target_ != kNoNode && now_ >= transfer_deadline_) {
        transfer_target_ = kNoNode;  // gave up: take proposals again
    }
    if (config_.check_quorum && now_ >= next_quorum_check_) {
        next_quorum_check_ = now_ + config_.election_timeout_max;
        size_t active = membership_.is_voter(config_.self) ? 1 : 0;
        for (const auto& [id, pr] : progress_) {
            if (pr.is_voter && now_ - pr.last_response < config_.election_timeout_max) {
                ++active;
            }
        }
        if (active < membership_.quorum()) {
            become_follower(term_, kNoNode);  // cut off from the quorum: stop claiming to lead
        }
    }
}

common::Result<void> RaftNode::transfer_leadership(NodeId target) {
    if (!started_ || stopped_) {
        return Errc::NotStarted;
    }
    if (role_ != Role::Leader) {
        return Errc::NotLeader;
    }
    if (target == config_.self) {
        return common::ok();
    }
    if (!membership_.is_voter(target)) {
        return Errc::UnknownMember;
    }
    transfer_target_ = target;
    transfer_deadline_ = now_ + config_.election_timeout_max;
    check_transfer_target(target);
    send_append(target, false);
    return common::ok();
}

void RaftNode::check_transfer_target(NodeId peer) {
    if (transfer_target_ != peer) {
        return;
    }
    Progress* pr = progress_of(peer);
    if (pr && pr->match_index == storage_.last_index()) {
        send(TimeoutNow{header_to(peer)});
    }
}

}  // namespace broker::raft
