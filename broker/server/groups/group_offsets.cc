// Group's committed offsets and its restore from __consumer_offsets (group.h).
#include <algorithm>

#include "broker/server/groups/consumer_protocol.h"
#include "broker/server/groups/group.h"

namespace broker::server::groups {

Group Group::restore(const LoadedGroup& loaded, const GroupConfig& config, int64_t now_ms) {
    Group g(loaded.group_id, config, now_ms);
    g.offsets_ = loaded.offsets;
    if (!loaded.metadata) return g;
    const GroupRecord& r = *loaded.metadata;
    g.protocol_type_ = r.protocol_type;
    g.generation_ = r.generation;
    g.protocol_ = r.protocol;
    g.state_timestamp_ms_ =
        r.current_state_timestamp_ms >= 0 ? r.current_state_timestamp_ms : now_ms;
    if (r.members.empty()) return g;
    for (const auto& mr : r.members) {
        Member m;
        m.id = mr.member_id;
        m.instance_id = mr.group_instance_id;
        m.client_id = mr.client_id;
        m.client_host = mr.client_host;
        m.rebalance_timeout_ms = mr.rebalance_timeout_ms;
        m.session_timeout_ms = mr.session_timeout_ms;
        m.protocols.push_back({r.protocol.value_or(""), mr.subscription});
        m.assignment = mr.assignment;
        m.session_deadline_ms = now_ms + mr.session_timeout_ms;
        if (m.instance_id) g.static_members_[*m.instance_id] = m.id;
        g.members_.push_back(std::move(m));
    }
    g.leader_ = r.leader.value_or(g.members_.front().id);
    g.state_ = GroupState::Stable;
    return g;
}

ErrorCode Group::validate_commit(const std::string& member_id,
                                 const std::optional<std::string>& instance_id, int32_t generation,
                                 int64_t now_ms) {
    if (state_ == GroupState::Dead) return ErrorCode::CoordinatorNotAvailable;
    if (generation >= 0 || !member_id.empty() || instance_id) {
        if (auto e = check_member(member_id, instance_id); e != ErrorCode::None) return e;
        if (generation != generation_) return ErrorCode::IllegalGeneration;
        if (state_ == GroupState::CompletingRebalance) return ErrorCode::RebalanceInProgress;
        Member& m = *find(member_id);
        m.session_deadline_ms = std::max(m.session_deadline_ms, now_ms + m.session_timeout_ms);
        return ErrorCode::None;
    }
    // Without group management only an Empty group takes commits.
    return state_ == GroupState::Empty ? ErrorCode::None : ErrorCode::UnknownMemberId;
}

void Group::apply_offsets(const OffsetMap& committed) {
    for (const auto& [tp, offset] : committed) offsets_[tp] = offset;
}

void Group::remove_offsets(const std::vector<TopicPartition>& partitions) {
    for (const auto& tp : partitions) offsets_.erase(tp);
}

std::optional<std::set<std::string>> Group::subscribed_topics() const {
    if (protocol_type_ != kConsumerProtocolType || !protocol_) return std::nullopt;
    std::set<std::string> topics;
    for (const auto& m : members_) {
        const Bytes* md = m.metadata_for(*protocol_);
        if (!md) return std::nullopt;
        auto t = subscription_topics(*md);
        if (!t) return std::nullopt;
        topics.insert(t->begin(), t->end());
    }
    return topics;
}

std::vector<TopicPartition> Group::expired_offsets(int64_t now_ms, int64_t retention_ms) const {
    std::vector<TopicPartition> expired;
    std::optional<std::set<std::string>> keep;
    const bool empty = state_ == GroupState::Empty;
    if (!empty) {
        if (state_ != GroupState::Stable) return expired;
        keep = subscribed_topics();
        if (!keep) return expired;
    }
    // A group that never had members (simple commits) counts from each commit.
    const bool from_state = empty && !protocol_type_.empty() && state_timestamp_ms_ >= 0;
    for (const auto& [tp, o] : offsets_) {
        if (keep && keep->count(tp.topic)) continue;
        bool past = false;
        if (o.expire_timestamp_ms >= 0) {
            past = now_ms >= o.expire_timestamp_ms;
        } else {
            int64_t base = from_state ? state_timestamp_ms_ : o.commit_timestamp_ms;
            past = now_ms - base >= retention_ms;
        }
        if (past) expired.push_back(tp);
    }
    return expired;
}

}  // namespace broker::server::groups
