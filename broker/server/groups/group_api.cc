// GroupCoordinator's group APIs (group_coordinator.h): each checks that this shard may serve the
// group, runs the Group state machine, writes through the store, and settles the group.
#include <algorithm>

// g++ 12 pairs Asio's recycling frame allocator with the frame's operator delete across inlined
// coroutine ramps and reports a mismatch that is not there (GCC PR 109224 family).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include "broker/partition/errc.h"
#include "broker/server/groups/consumer_protocol.h"
#include "broker/server/groups/group_coordinator.h"
#include "broker/server/groups/group_waiter.h"
#include "common/log.h"

namespace broker::server::groups {
namespace {

namespace asio = common::asio;
using common::use_awaitable;

// What a failed write through the store means to the client, as Kafka maps it: a lost
// leadership or a failing disk sends it to find the coordinator again; anything else is retried
// at the same coordinator after COORDINATOR_NOT_AVAILABLE.
ErrorCode store_error(const std::error_code& error, const std::string& group_id) {
    common::log::get("groups")->warn("write for group {} failed: {}", group_id, error.message());
    if (error == partition::Errc::NotLeaderOrFollower || error == partition::Errc::StorageError) {
        return ErrorCode::NotCoordinator;
    }
    return ErrorCode::CoordinatorNotAvailable;
}

// Suspends until the waiter's reply lands (its timer is cancelled).
common::awaitable<void> wait_for(std::shared_ptr<GroupCoordinator::Waiter> waiter) {
    boost::system::error_code ec;
    co_await waiter->timer.async_wait(asio::redirect_error(use_awaitable, ec));
}

}  // namespace

common::awaitable<JoinReply> GroupCoordinator::join(std::string group_id, JoinArgs args) {
    if (auto e = route_error(group_id); e != ErrorCode::None) {
        co_return join_error(e, args.member_id);
    }
    Group* g = find(group_id);
    if (!g && !args.member_id.empty())
        co_return join_error(ErrorCode::UnknownMemberId, args.member_id);
    if (!g) g = &get_or_create(group_id);
    args.new_member_id = new_member_id(args.instance_id.value_or(args.client_id));
    JoinOutcome out = g->join(std::move(args), now());
    if (out.reply) {
        JoinReply reply = std::move(*out.reply);
        if (out.write_first) {
            auto written = co_await store_->write_group(group_id, g->record());
            if (!written)
                reply = join_error(store_error(written.error(), group_id), reply.member_id);
        }
        settle(group_id);
        co_return reply;
    }
    auto waiter = std::make_shared<Waiter>(executor_);
    const WaiterKey key{group_id, out.member_id};
    if (auto old = join_waiters_.find(key); old != join_waiters_.end()) {
        old->second->join = join_error(ErrorCode::RebalanceInProgress, out.member_id);
        old->second->timer.cancel();
    }
    join_waiters_[key] = waiter;
    settle(group_id);
    if (!waiter->join) co_await wait_for(waiter);
    co_return waiter->join.value_or(join_error(ErrorCode::CoordinatorNotAvailable, out.member_id));
}

common::awaitable<SyncReply> GroupCoordinator::sync(std::string group_id, SyncArgs args) {
    if (auto e = route_error(group_id); e != ErrorCode::None) co_return sync_error(e);
    Group* g = find(group_id);
    if (!g) co_return sync_error(ErrorCode::UnknownMemberId);
    SyncOutcome out = g->sync(args, now());
    if (out.reply) {
        settle(group_id);
        co_return *out.reply;
    }
    auto waiter = std::make_shared<Waiter>(executor_);
    const WaiterKey key{group_id, args.member_id};
    if (auto old = sync_waiters_.find(key); old != sync_waiters_.end()) {
        old->second->sync = sync_error(ErrorCode::RebalanceInProgress);
        old->second->timer.cancel();
    }
    sync_waiters_[key] = waiter;
    settle(group_id);
    if (out.write_assignment) {
        const int32_t generation = g->generation();
        auto written = co_await store_->write_group(group_id, g->record());
        if (Group* now_g = find(group_id)) {
            now_g->assignment_stored(
                generation, written ? ErrorCode::None : store_error(written.error(), group_id),
                now());
            settle(group_id);
        }
    }
    if (!waiter->sync) co_await wait_for(waiter);
    co_return waiter->sync.value_or(sync_error(ErrorCode::CoordinatorNotAvailable));
}

ErrorCode GroupCoordinator::heartbeat(std::string group_id, std::string member_id,
                                      std::optional<std::string> instance_id, int32_t generation) {
    if (auto e = route_error(group_id); e != ErrorCode::None) return e;
    Group* g = find(group_id);
    if (!g) return ErrorCode::UnknownMemberId;
    ErrorCode e = g->heartbeat(member_id, instance_id, generation, now());
    settle(group_id);
    return e;
}

LeaveResult GroupCoordinator::leave(std::string group_id, std::vector<LeaveIdentity> members) {
    LeaveResult result;
    if (auto e = route_error(group_id); e != ErrorCode::None) {
        result.error = e;
        result.members.assign(members.size(), e);
        return result;
    }
    Group* g = find(group_id);
    for (const auto& m : members) {
        result.members.push_back(g ? g->leave(m.member_id, m.instance_id, now())
                                   : ErrorCode::UnknownMemberId);
    }
    settle(group_id);
    return result;
}

common::awaitable<ErrorCode> GroupCoordinator::commit(std::string group_id, std::string member_id,
                                                      std::optional<std::string> instance_id,
                                                      int32_t generation, OffsetMap offsets) {
    if (auto e = route_error(group_id); e != ErrorCode::None) co_return e;
    Group* g = find(group_id);
    if (!g && generation >= 0) co_return ErrorCode::IllegalGeneration;
    if (!g) g = &get_or_create(group_id);
    const ErrorCode e = g->validate_commit(member_id, instance_id, generation, now());
    settle(group_id);
    if (e != ErrorCode::None || offsets.empty()) co_return e;
    for (auto& [tp, o] : offsets) {
        if (o.commit_timestamp_ms < 0) o.commit_timestamp_ms = now();
    }
    auto written = co_await store_->write_offsets(group_id, offsets);
    if (!written) co_return store_error(written.error(), group_id);
    // The commit is durable: it shows even if the group went away meanwhile (or was vacant),
    // unless this coordinator gave the partition up (the next one loads it).
    if (route_error(group_id) == ErrorCode::None) get_or_create(group_id).apply_offsets(offsets);
    co_return ErrorCode::None;
}

FetchResult GroupCoordinator::fetch(std::string group_id,
                                    std::optional<std::vector<TopicPartition>> partitions) {
    FetchResult result;
    if (auto e = route_error(group_id); e != ErrorCode::None) {
        result.error = e;
        return result;
    }
    const Group* g = find(group_id);
    if (!partitions) {
        if (g) {
            for (const auto& [tp, o] : g->offsets()) result.offsets.push_back({tp, o});
        }
        return result;
    }
    for (auto& tp : *partitions) {
        CommittedOffset o;
        if (g) {
            auto it = g->offsets().find(tp);
            if (it != g->offsets().end()) o = it->second;
        }
        result.offsets.push_back({std::move(tp), std::move(o)});
    }
    return result;
}

common::awaitable<DeleteOffsetsResult> GroupCoordinator::delete_offsets(
    std::string group_id, std::vector<TopicPartition> partitions) {
    DeleteOffsetsResult result;
    if (auto e = route_error(group_id); e != ErrorCode::None) {
        result.error = e;
        co_return result;
    }
    Group* g = find(group_id);
    if (!g || g->state() == GroupState::Dead) {
        result.error = ErrorCode::GroupIdNotFound;
        co_return result;
    }
    std::optional<std::set<std::string>> subscribed;
    if (g->state() != GroupState::Empty) {
        if (g->protocol_type() != kConsumerProtocolType) {
            result.error = ErrorCode::NonEmptyGroup;
            co_return result;
        }
        subscribed = g->subscribed_topics().value_or(std::set<std::string>{});
    }
    std::vector<TopicPartition> deletable;
    for (const auto& tp : partitions) {
        const bool busy = subscribed && subscribed->count(tp.topic);
        result.partitions[tp] = busy ? ErrorCode::GroupSubscribedToTopic : ErrorCode::None;
        if (!busy) deletable.push_back(tp);
    }
    if (deletable.empty()) co_return result;
    auto written = co_await store_->delete_offsets(group_id, deletable);
    if (!written) {
        result.error = store_error(written.error(), group_id);
        result.partitions.clear();
        co_return result;
    }
    if (Group* after = find(group_id)) after->remove_offsets(deletable);
    co_return result;
}

common::awaitable<ErrorCode> GroupCoordinator::delete_group(std::string group_id) {
    if (auto e = route_error(group_id); e != ErrorCode::None) co_return e;
    Group* g = find(group_id);
    if (!g || g->state() == GroupState::Dead) co_return ErrorCode::GroupIdNotFound;
    if (g->state() != GroupState::Empty) co_return ErrorCode::NonEmptyGroup;
    auto written = co_await store_->delete_group(group_id, g->offsets());
    if (!written) co_return store_error(written.error(), group_id);
    if (Group* after = find(group_id)) after->mark_dead();
    groups_.erase(group_id);
    co_return ErrorCode::None;
}

std::pair<ErrorCode, GroupDescription> GroupCoordinator::describe(std::string group_id) const {
    if (auto e = route_error(group_id); e != ErrorCode::None) return {e, {}};
    auto it = groups_.find(group_id);
    if (it == groups_.end()) return {ErrorCode::None, {}};
    return {ErrorCode::None, it->second.describe()};
}

ListResult GroupCoordinator::list() const {
    ListResult result;
    if (!loading_.empty()) {
        result.error = ErrorCode::CoordinatorLoadInProgress;
        return result;
    }
    for (const auto& [id, g] : groups_) result.groups.push_back({id, g.protocol_type(), g.state()});
    return result;
}

std::vector<GroupView> GroupCoordinator::views() const {
    std::vector<GroupView> views;
    views.reserve(groups_.size());
    for (const auto& [id, g] : groups_) views.push_back(g.view());
    return views;
}

common::awaitable<void> GroupCoordinator::expire_offsets() {
    const int64_t t = now();
    std::vector<std::string> ids;
    for (const auto& [id, g] : groups_) ids.push_back(id);
    for (const auto& id : ids) {
        Group* g = find(id);
        if (!g || loading_.count(partition_for(id))) continue;
        auto expired = g->expired_offsets(t, config_.offsets_retention_ms);
        const bool dies = g->state() == GroupState::Empty && expired.size() == g->offsets().size();
        if (dies) {
            OffsetMap gone = g->offsets();
            auto written = co_await store_->delete_group(id, gone);
            Group* after = find(id);
            if (written && after && after->state() == GroupState::Empty &&
                after->offsets() == gone) {
                after->mark_dead();
                groups_.erase(id);
            }
        } else if (!expired.empty()) {
            auto written = co_await store_->delete_offsets(id, expired);
            if (Group* after = find(id); written && after) after->remove_offsets(expired);
        }
    }
}

}  // namespace broker::server::groups
