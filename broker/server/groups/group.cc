#include "broker/server/groups/group.h"

#include <algorithm>

namespace broker::server::groups {

Group::Group(std::string id, const GroupConfig& config, int64_t now_ms)
    : id_(std::move(id)), config_(&config), state_timestamp_ms_(now_ms) {}

const Member* Group::find(const std::string& member_id) const {
    for (const auto& m : members_) {
        if (m.id == member_id) return &m;
    }
    return nullptr;
}

Member* Group::find(const std::string& member_id) {
    for (auto& m : members_) {
        if (m.id == member_id) return &m;
    }
    return nullptr;
}

// Kafka's validateCurrentMember: a static member's instance decides first, then the member id.
ErrorCode Group::check_member(const std::string& member_id,
                              const std::optional<std::string>& instance_id) const {
    if (instance_id) {
        auto it = static_members_.find(*instance_id);
        if (it != static_members_.end() && it->second != member_id) {
            return ErrorCode::FencedInstanceId;
        }
    }
    const Member* m = find(member_id);
    if (!m) return ErrorCode::UnknownMemberId;
    if (instance_id && m->instance_id != instance_id) return ErrorCode::FencedInstanceId;
    return ErrorCode::None;
}

// An empty group takes any non-empty protocol list; otherwise the type must match and one of
// the protocols must be supported by every other member.
bool Group::supports(const JoinArgs& args) const {
    if (args.protocol_type.empty() || args.protocols.empty()) return false;
    bool others = std::any_of(members_.begin(), members_.end(),
                              [&](const Member& m) { return m.id != args.member_id; });
    if (!others) return true;
    if (args.protocol_type != protocol_type_) return false;
    return std::any_of(args.protocols.begin(), args.protocols.end(), [&](const Protocol& p) {
        return std::all_of(members_.begin(), members_.end(), [&](const Member& m) {
            return m.id == args.member_id || m.metadata_for(p.name) != nullptr;
        });
    });
}

// Among the protocols every member supports, each member votes for its most preferred; the most
// votes win, ties going to the earlier one in the first member's order.
std::string Group::select_protocol() const {
    if (members_.empty()) return {};
    std::vector<std::string> candidates;
    for (const auto& p : members_.front().protocols) {
        bool everyone = std::all_of(members_.begin(), members_.end(),
                                    [&](const Member& m) { return m.metadata_for(p.name); });
        if (everyone) candidates.push_back(p.name);
    }
    std::map<std::string, int> votes;
    for (const auto& m : members_) {
        for (const auto& p : m.protocols) {
            if (std::find(candidates.begin(), candidates.end(), p.name) != candidates.end()) {
                ++votes[p.name];
                break;
            }
        }
    }
    std::string best;
    int best_votes = -1;
    for (const auto& c : candidates) {
        if (votes[c] > best_votes) {
            best = c;
            best_votes = votes[c];
        }
    }
    return best;
}

JoinReply Group::error_join(ErrorCode error, const std::string& member_id) const {
    JoinReply r;
    r.error = error;
    r.member_id = member_id;
    return r;
}

JoinReply Group::current_generation_reply(const Member& member, bool skip_assignment) const {
    JoinReply r;
    r.generation = generation_;
    r.protocol_type = protocol_type_;
    r.protocol_name = protocol_;
    r.leader = leader_;
    r.member_id = member.id;
    if (member.id == leader_) {
        r.skip_assignment = skip_assignment;
        for (const auto& m : members_) {
            const Bytes* md = protocol_ ? m.metadata_for(*protocol_) : nullptr;
            r.members.push_back({m.id, m.instance_id, md ? *md : Bytes{}});
        }
    }
    return r;
}

JoinOutcome Group::join(JoinArgs args, int64_t now_ms) {
    if (state_ == GroupState::Dead) {
        return {error_join(ErrorCode::CoordinatorNotAvailable, args.member_id), args.member_id};
    }
    if (args.session_timeout_ms < config_->min_session_timeout_ms ||
        args.session_timeout_ms > config_->max_session_timeout_ms) {
        return {error_join(ErrorCode::InvalidSessionTimeout, args.member_id), args.member_id};
    }
    if (!supports(args)) {
        return {error_join(ErrorCode::InconsistentGroupProtocol, args.member_id), args.member_id};
    }
    if (args.member_id.empty()) return join_new(args, now_ms);
    return join_known(args, now_ms);
}

JoinOutcome Group::join_new(JoinArgs& args, int64_t now_ms) {
    if (args.instance_id) {
        auto it = static_members_.find(*args.instance_id);
        if (it != static_members_.end()) {
            return replace_static_member(args, std::string(it->second), now_ms);
        }
    }
    if (state_ != GroupState::Empty && members_.size() >= static_cast<size_t>(config_->max_size)) {
        return {error_join(ErrorCode::GroupMaxSizeReached, ""), ""};
    }
    if (!args.instance_id && args.require_known_member_id) {
        pending_members_[args.new_member_id] = now_ms + args.session_timeout_ms;
        return {error_join(ErrorCode::MemberIdRequired, args.new_member_id), args.new_member_id};
    }
    std::string id = args.new_member_id;
    return add_member_and_rebalance(args, id, now_ms);
}

JoinOutcome Group::join_known(JoinArgs& args, int64_t now_ms) {
    if (pending_members_.erase(args.member_id) > 0) {
        if (state_ != GroupState::Empty &&
            members_.size() >= static_cast<size_t>(config_->max_size)) {
            return {error_join(ErrorCode::GroupMaxSizeReached, args.member_id), args.member_id};
        }
        std::string id = args.member_id;
        return add_member_and_rebalance(args, id, now_ms);
    }
    if (auto error = check_member(args.member_id, args.instance_id); error != ErrorCode::None) {
        return {error_join(error, args.member_id), args.member_id};
    }
    Member& member = *find(args.member_id);
    const bool changed = member.protocols != args.protocols;
    switch (state_) {
        case GroupState::PreparingRebalance:
            update_member(member, args);
            member.awaiting_join = true;
            try_complete_join(now_ms);
            return {std::nullopt, args.member_id};
        case GroupState::CompletingRebalance:
            if (!changed) return {current_generation_reply(member, false), args.member_id};
            update_member(member, args);
            member.awaiting_join = true;
            prepare_rebalance(now_ms);
            return {std::nullopt, args.member_id};
        case GroupState::Stable:
            if (!changed && member.id != leader_) {
                return {current_generation_reply(member, false), args.member_id};
            }
            update_member(member, args);
            member.awaiting_join = true;
            prepare_rebalance(now_ms);
            return {std::nullopt, args.member_id};
        case GroupState::Empty:
        case GroupState::Dead:
            break;
    }
    return {error_join(ErrorCode::UnknownMemberId, args.member_id), args.member_id};
}

void Group::update_member(Member& member, const JoinArgs& args) {
    member.client_id = args.client_id;
    member.client_host = args.client_host;
    member.session_timeout_ms = args.session_timeout_ms;
    member.rebalance_timeout_ms = args.rebalance_timeout_ms;
    member.protocols = args.protocols;
}

JoinOutcome Group::add_member_and_rebalance(JoinArgs& args, const std::string& member_id,
                                            int64_t now_ms) {
    Member m;
    m.id = member_id;
    m.instance_id = args.instance_id;
    update_member(m, args);
    m.awaiting_join = true;
    m.session_deadline_ms = now_ms + args.session_timeout_ms;
    if (members_.empty()) protocol_type_ = args.protocol_type;
    if (leader_.empty()) leader_ = member_id;
    if (m.instance_id) static_members_[*m.instance_id] = member_id;
    members_.push_back(std::move(m));
    if (state_ == GroupState::PreparingRebalance) {
        if (initial_delay_deadline_ms_ != kNoDeadline) {
            initial_delay_deadline_ms_ = std::max(
                initial_delay_deadline_ms_,
                std::min(now_ms + config_->initial_rebalance_delay_ms, initial_delay_cap_ms_));
        }
        try_complete_join(now_ms);
    } else {
        prepare_rebalance(now_ms);
    }
    return {std::nullopt, member_id};
}

// Kafka's updateStaticMemberAndRebalance: the instance keeps its place (and assignment) under a
// new member id; the old id is fenced. In a Stable group whose selected protocol stays the same
// there is no rebalance.
JoinOutcome Group::replace_static_member(JoinArgs& args, const std::string& old_id,
                                         int64_t now_ms) {
    Member& member = *find(old_id);
    if (member.awaiting_join) {
        deliveries_.push_back({old_id, error_join(ErrorCode::FencedInstanceId, old_id)});
    }
    if (member.awaiting_sync) {
        SyncReply fenced;
        fenced.error = ErrorCode::FencedInstanceId;
        deliveries_.push_back({old_id, fenced});
        member.awaiting_sync = false;
    }
    const std::string new_id = args.new_member_id;
    member.id = new_id;
    update_member(member, args);
    member.session_deadline_ms = now_ms + args.session_timeout_ms;
    static_members_[*args.instance_id] = new_id;
    if (leader_ == old_id) leader_ = new_id;
    switch (state_) {
        case GroupState::Stable:
            if (protocol_ && select_protocol() == *protocol_) {
                member.awaiting_join = false;
                JoinReply reply = current_generation_reply(member, args.supports_skip_assignment);
                return {std::move(reply), new_id, true};
            }
            member.awaiting_join = true;
            prepare_rebalance(now_ms);
            break;
        case GroupState::CompletingRebalance:
            member.awaiting_join = true;
            prepare_rebalance(now_ms);
            break;
        default:
            member.awaiting_join = true;
            try_complete_join(now_ms);
            break;
    }
    return {std::nullopt, new_id};
}

SyncOutcome Group::sync(const SyncArgs& args, int64_t now_ms) {
    auto reply_error = [](ErrorCode e) {
        SyncReply r;
        r.error = e;
        return SyncOutcome{r, false};
    };
    if (state_ == GroupState::Dead) return reply_error(ErrorCode::CoordinatorNotAvailable);
    if (auto e = check_member(args.member_id, args.instance_id); e != ErrorCode::None) {
        return reply_error(e);
    }
    if (args.generation != generation_) return reply_error(ErrorCode::IllegalGeneration);
    if ((args.protocol_type && *args.protocol_type != protocol_type_) ||
        (args.protocol_name && args.protocol_name != protocol_)) {
        return reply_error(ErrorCode::InconsistentGroupProtocol);
    }
    Member& member = *find(args.member_id);
    switch (state_) {
        case GroupState::PreparingRebalance:
            return reply_error(ErrorCode::RebalanceInProgress);
        case GroupState::CompletingRebalance:
            member.awaiting_sync = true;
            if (member.id != leader_ || assignment_writing_) return {std::nullopt, false};
            for (auto& m : members_) {
                m.assignment.clear();
                for (const auto& [id, bytes] : args.assignments) {
                    if (id == m.id) m.assignment = bytes;
                }
            }
            assignment_writing_ = true;
            return {std::nullopt, true};
        case GroupState::Stable: {
            member.session_deadline_ms = now_ms + member.session_timeout_ms;
            SyncReply r;
            r.protocol_type = protocol_type_;
            r.protocol_name = protocol_;
            r.assignment = member.assignment;
            return {r, false};
        }
        case GroupState::Empty:
        case GroupState::Dead:
            break;
    }
    return reply_error(ErrorCode::UnknownMemberId);
}

void Group::assignment_stored(int32_t generation, ErrorCode error, int64_t now_ms) {
    if (state_ != GroupState::CompletingRebalance || generation != generation_ ||
        !assignment_writing_) {
        return;
    }
    assignment_writing_ = false;
    if (error != ErrorCode::None) {
        for (auto& m : members_) m.assignment.clear();
        fail_pending_syncs(error);
        prepare_rebalance(now_ms);
        return;
    }
    transition(GroupState::Stable, now_ms);
    sync_deadline_ms_ = kNoDeadline;
    for (auto& m : members_) {
        m.session_deadline_ms = now_ms + m.session_timeout_ms;
        if (!m.awaiting_sync) continue;
        m.awaiting_sync = false;
        SyncReply r;
        r.protocol_type = protocol_type_;
        r.protocol_name = protocol_;
        r.assignment = m.assignment;
        deliveries_.push_back({m.id, std::move(r)});
    }
}

void Group::fail_pending_syncs(ErrorCode error) {
    for (auto& m : members_) {
        if (!m.awaiting_sync) continue;
        m.awaiting_sync = false;
        SyncReply r;
        r.error = error;
        deliveries_.push_back({m.id, std::move(r)});
    }
}

ErrorCode Group::heartbeat(const std::string& member_id,
                           const std::optional<std::string>& instance_id, int32_t generation,
                           int64_t now_ms) {
    if (state_ == GroupState::Dead) return ErrorCode::CoordinatorNotAvailable;
    if (auto e = check_member(member_id, instance_id); e != ErrorCode::None) return e;
    if (generation != generation_) return ErrorCode::IllegalGeneration;
    Member& member = *find(member_id);
    member.session_deadline_ms = now_ms + member.session_timeout_ms;
    if (state_ == GroupState::PreparingRebalance) return ErrorCode::RebalanceInProgress;
    return ErrorCode::None;
}

ErrorCode Group::leave(const std::string& member_id, const std::optional<std::string>& instance_id,
                       int64_t now_ms) {
    if (state_ == GroupState::Dead) return ErrorCode::CoordinatorNotAvailable;
    if (instance_id) {
        auto it = static_members_.find(*instance_id);
        if (it == static_members_.end()) return ErrorCode::UnknownMemberId;
        if (!member_id.empty() && member_id != it->second) return ErrorCode::FencedInstanceId;
        remove_member(std::string(it->second), now_ms);
        return ErrorCode::None;
    }
    if (pending_members_.erase(member_id) > 0) {
        try_complete_join(now_ms);
        return ErrorCode::None;
    }
    if (!find(member_id)) return ErrorCode::UnknownMemberId;
    remove_member(member_id, now_ms);
    return ErrorCode::None;
}

void Group::remove_member(const std::string& member_id, int64_t now_ms) {
    auto it = std::find_if(members_.begin(), members_.end(),
                           [&](const Member& m) { return m.id == member_id; });
    if (it == members_.end()) return;
    if (it->awaiting_join) {
        deliveries_.push_back({member_id, error_join(ErrorCode::UnknownMemberId, member_id)});
    }
    if (it->instance_id) static_members_.erase(*it->instance_id);
    members_.erase(it);
    if (leader_ == member_id) leader_ = members_.empty() ? "" : members_.front().id;
    if (state_ == GroupState::Stable || state_ == GroupState::CompletingRebalance) {
        prepare_rebalance(now_ms);
    } else {
        try_complete_join(now_ms);
    }
}

void Group::transition(GroupState state, int64_t now_ms) {
    state_ = state;
    state_timestamp_ms_ = now_ms;
}

void Group::mark_dead() {
    state_ = GroupState::Dead;
}

void Group::prepare_rebalance(int64_t now_ms) {
    if (state_ == GroupState::CompletingRebalance) {
        for (auto& m : members_) m.assignment.clear();
        fail_pending_syncs(ErrorCode::RebalanceInProgress);
    }
    assignment_writing_ = false;
    sync_deadline_ms_ = kNoDeadline;
    int32_t rebalance_timeout = 0;
    for (const auto& m : members_)
        rebalance_timeout = std::max(rebalance_timeout, m.rebalance_timeout_ms);
    join_deadline_ms_ = now_ms + rebalance_timeout;
    if (state_ == GroupState::Empty && config_->initial_rebalance_delay_ms > 0) {
        initial_delay_deadline_ms_ = now_ms + config_->initial_rebalance_delay_ms;
        initial_delay_cap_ms_ =
            now_ms + std::max<int64_t>(rebalance_timeout, config_->initial_rebalance_delay_ms);
    } else {
        initial_delay_deadline_ms_ = kNoDeadline;
    }
    transition(GroupState::PreparingRebalance, now_ms);
    try_complete_join(now_ms);
}

void Group::try_complete_join(int64_t now_ms) {
    if (state_ != GroupState::PreparingRebalance) return;
    if (initial_delay_deadline_ms_ != kNoDeadline) {
        if (now_ms >= initial_delay_deadline_ms_) complete_join(now_ms);
        return;
    }
    bool all_joined =
        pending_members_.empty() && std::all_of(members_.begin(), members_.end(),
                                                [](const Member& m) { return m.awaiting_join; });
    if (all_joined || now_ms >= join_deadline_ms_) complete_join(now_ms);
}

// Kafka's onCompleteJoin: members that did not rejoin are gone; the next generation starts with
// the rest (CompletingRebalance), or the group is Empty.
void Group::complete_join(int64_t now_ms) {
    std::vector<std::string> missing;
    for (const auto& m : members_) {
        if (!m.awaiting_join) missing.push_back(m.id);
    }
    for (const auto& id : missing) {
        auto it = std::find_if(members_.begin(), members_.end(),
                               [&](const Member& m) { return m.id == id; });
        if (it->instance_id) static_members_.erase(*it->instance_id);
        members_.erase(it);
    }
    initial_delay_deadline_ms_ = kNoDeadline;
    join_deadline_ms_ = kNoDeadline;
    ++generation_;
    if (members_.empty()) {
        protocol_.reset();
        leader_.clear();
        transition(GroupState::Empty, now_ms);
        record_dirty_ = true;
        return;
    }
    if (!find(leader_)) leader_ = members_.front().id;
    protocol_ = select_protocol();
    transition(GroupState::CompletingRebalance, now_ms);
    int32_t rebalance_timeout = 0;
    for (auto& m : members_) {
        m.awaiting_join = false;
        m.session_deadline_ms = now_ms + m.session_timeout_ms;
        rebalance_timeout = std::max(rebalance_timeout, m.rebalance_timeout_ms);
        deliveries_.push_back({m.id, current_generation_reply(m, false)});
    }
    sync_deadline_ms_ = now_ms + rebalance_timeout;
}

int64_t Group::next_deadline() const {
    int64_t d = kNoDeadline;
    for (const auto& [id, deadline] : pending_members_) d = std::min(d, deadline);
    for (const auto& m : members_) {
        if (!m.awaiting_join && !m.awaiting_sync) d = std::min(d, m.session_deadline_ms);
    }
    if (state_ == GroupState::PreparingRebalance) {
        d = std::min(d, initial_delay_deadline_ms_ != kNoDeadline ? initial_delay_deadline_ms_
                                                                  : join_deadline_ms_);
    }
    if (state_ == GroupState::CompletingRebalance && !assignment_writing_) {
        d = std::min(d, sync_deadline_ms_);
    }
    return d;
}

void Group::advance(int64_t now_ms) {
    for (auto it = pending_members_.begin(); it != pending_members_.end();) {
        it = it->second <= now_ms ? pending_members_.erase(it) : std::next(it);
    }
    expire_sessions(now_ms);
    expire_sync(now_ms);
    try_complete_join(now_ms);
}

void Group::expire_sessions(int64_t now_ms) {
    std::vector<std::string> expired;
    for (const auto& m : members_) {
        if (!m.awaiting_join && !m.awaiting_sync && m.session_deadline_ms <= now_ms) {
            expired.push_back(m.id);
        }
    }
    for (const auto& id : expired) remove_member(id, now_ms);
}

// Members that have not sent SyncGroup within the rebalance timeout are removed (Kafka 2.8+).
void Group::expire_sync(int64_t now_ms) {
    if (state_ != GroupState::CompletingRebalance || assignment_writing_ ||
        now_ms < sync_deadline_ms_) {
        return;
    }
    std::vector<std::string> late;
    for (const auto& m : members_) {
        if (!m.awaiting_sync) late.push_back(m.id);
    }
    for (const auto& id : late) remove_member(id, now_ms);
}

std::vector<Delivery> Group::take_deliveries() {
    return std::exchange(deliveries_, {});
}

bool Group::take_record_dirty() {
    return std::exchange(record_dirty_, false);
}

GroupRecord Group::record() const {
    GroupRecord r;
    r.protocol_type = protocol_type_;
    r.generation = generation_;
    r.protocol = protocol_;
    if (!leader_.empty()) r.leader = leader_;
    r.current_state_timestamp_ms = state_timestamp_ms_;
    for (const auto& m : members_) {
        const Bytes* md = protocol_ ? m.metadata_for(*protocol_) : nullptr;
        r.members.push_back({m.id, m.instance_id, m.client_id, m.client_host,
                             m.rebalance_timeout_ms, m.session_timeout_ms, md ? *md : Bytes{},
                             m.assignment});
    }
    return r;
}

GroupView Group::view() const {
    GroupView v;
    v.group_id = id_;
    v.state = std::string(state_name(state_));
    v.protocol_type = protocol_type_;
    v.protocol = protocol_.value_or("");
    v.generation = generation_;
    for (const auto& m : members_) {
        v.members.push_back({m.id, m.instance_id, m.client_id, m.client_host, m.assignment});
    }
    v.offsets = offsets_;
    return v;
}

GroupDescription Group::describe() const {
    GroupDescription d;
    d.state = state_;
    d.protocol_type = protocol_type_;
    const bool stable = state_ == GroupState::Stable;
    if (stable) d.protocol = protocol_.value_or("");
    for (const auto& m : members_) {
        DescribedMember dm{m.id, m.instance_id, m.client_id, m.client_host, {}, {}};
        if (stable) {
            const Bytes* md = protocol_ ? m.metadata_for(*protocol_) : nullptr;
            if (md) dm.metadata = *md;
            dm.assignment = m.assignment;
        }
        d.members.push_back(std::move(dm));
    }
    return d;
}

}  // namespace broker::server::groups
