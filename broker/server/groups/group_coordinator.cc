#include "broker/server/groups/group_coordinator.h"
#include "broker/server/groups/group_waiter.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "common/log.h"

namespace broker::server::groups {
namespace {

namespace asio = common::asio;
using common::use_awaitable;

}  // namespace

GroupCoordinator::GroupCoordinator(asio::any_io_executor executor,
                                   std::unique_ptr<GroupStore> store, GroupConfig config,
                                   Clock clock, uint64_t seed)
    : executor_(std::move(executor)),
      store_(std::move(store)),
      config_(config),
      clock_(std::move(clock)),
      random_(seed),
      deadline_timer_(std::make_unique<asio::steady_timer>(executor_)),
      expiry_timer_(std::make_unique<asio::steady_timer>(executor_)),
      armed_ms_(kNoDeadline) {}

GroupCoordinator::~GroupCoordinator() = default;

int32_t GroupCoordinator::partition_for(std::string_view group_id) const {
    return store_->partition_for(group_id);
}

ErrorCode GroupCoordinator::route_error(const std::string& group_id) const {
    if (group_id.empty()) return ErrorCode::InvalidGroupId;
    const int32_t p = partition_for(group_id);
    if (p < 0) return ErrorCode::NotCoordinator;  // no __consumer_offsets yet
    if (loading_.count(p)) return ErrorCode::CoordinatorLoadInProgress;
    if (!owned_.count(p)) {
        return led_here_ && led_here_(p) ? ErrorCode::CoordinatorLoadInProgress
                                         : ErrorCode::NotCoordinator;
    }
    return ErrorCode::None;
}

Group* GroupCoordinator::find(const std::string& group_id) {
    auto it = groups_.find(group_id);
    return it == groups_.end() ? nullptr : &it->second;
}

Group& GroupCoordinator::get_or_create(const std::string& group_id) {
    auto it = groups_.find(group_id);
    if (it == groups_.end()) it = groups_.try_emplace(group_id, group_id, config_, now()).first;
    return it->second;
}

// Kafka's form: "<client id or group.instance.id>-<uuid>".
std::string GroupCoordinator::new_member_id(const std::string& prefix) {
    const uint64_t a = random_();
    const uint64_t b = random_();
    char uuid[40];
    std::snprintf(uuid, sizeof uuid, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                  static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0x0fff),
                  static_cast<unsigned>(((b >> 48) & 0x3fff) | 0x8000),
                  static_cast<unsigned long long>(b & 0xffffffffffffULL));
    return prefix + "-" + uuid;
}

common::awaitable<common::Result<void>> GroupCoordinator::load(int32_t partition) {
    const uint64_t generation = ++load_generation_[partition];
    loading_.insert(partition);
    auto loaded = co_await store_->load(partition);
    if (load_generation_[partition] != generation) co_return common::ok();  // unloaded meanwhile
    loading_.erase(partition);
    if (!loaded) {
        common::log::get("groups")->error("loading __consumer_offsets-{} failed: {}", partition,
                                          loaded.error().message());
        co_return loaded.error();
    }
    for (const auto& lg : loaded.value()) {
        groups_.insert_or_assign(lg.group_id, Group::restore(lg, config_, now()));
        settle(lg.group_id);
    }
    owned_.insert(partition);
    co_return common::ok();
}

void GroupCoordinator::unload(int32_t partition) {
    ++load_generation_[partition];
    loading_.erase(partition);
    owned_.erase(partition);
    std::vector<std::string> gone;
    for (const auto& [id, g] : groups_) {
        if (partition_for(id) == partition) gone.push_back(id);
    }
    for (const auto& id : gone) {
        fail_waiters(id, ErrorCode::NotCoordinator);
        groups_.erase(id);
    }
    common::log::get("groups")->info("__consumer_offsets-{}: unloaded {} groups", partition,
                                     gone.size());
}

void GroupCoordinator::fail_waiters(const std::optional<std::string>& group_id, ErrorCode error) {
    // One group's keys run from {group, ""} up to the next possible group name, group + '\0'.
    auto range = [&group_id](auto& waiters) {
        if (!group_id) return std::pair(waiters.begin(), waiters.end());
        return std::pair(waiters.lower_bound({*group_id, ""}),
                         waiters.lower_bound({*group_id + '\0', ""}));
    };
    auto [join, join_end] = range(join_waiters_);
    for (auto it = join; it != join_end; ++it) {
        it->second->join = join_error(error, it->first.second);
        it->second->timer.cancel();
    }
    join_waiters_.erase(join, join_end);
    auto [sync, sync_end] = range(sync_waiters_);
    for (auto it = sync; it != sync_end; ++it) {
        it->second->sync = sync_error(error);
        it->second->timer.cancel();
    }
    sync_waiters_.erase(sync, sync_end);
}

void GroupCoordinator::start() {
    running_ = true;
    asio::co_spawn(executor_, deadline_loop(), asio::detached);
    asio::co_spawn(executor_, expiry_loop(), asio::detached);
    tick();
}

void GroupCoordinator::stop() {
    running_ = false;
    deadline_timer_->cancel();
    expiry_timer_->cancel();
    fail_waiters(std::nullopt, ErrorCode::NotCoordinator);
}

void GroupCoordinator::settle(const std::string& group_id) {
    Group* g = find(group_id);
    if (!g) return;
    deliver(group_id, g->take_deliveries());
    if (g->is_vacant()) {
        groups_.erase(group_id);
        return;
    }
    if (g->take_record_dirty()) asio::co_spawn(executor_, write_record(group_id), asio::detached);
    arm(g->next_deadline());
}

void GroupCoordinator::deliver(const std::string& group_id, std::vector<Delivery> deliveries) {
    for (auto& d : deliveries) {
        const WaiterKey key{group_id, d.member_id};
        if (auto* join = std::get_if<JoinReply>(&d.reply)) {
            if (join->error == ErrorCode::None && join->member_id == join->leader) {
                common::log::get("groups")->info(
                    "group {}: generation {} with {} members, protocol {}, leader {}", group_id,
                    join->generation, join->members.size(), join->protocol_name.value_or(""),
                    join->leader);
            }
            auto it = join_waiters_.find(key);
            if (it == join_waiters_.end()) continue;
            it->second->join = std::move(*join);
            it->second->timer.cancel();
            join_waiters_.erase(it);
        } else {
            auto it = sync_waiters_.find(key);
            if (it == sync_waiters_.end()) continue;
            it->second->sync = std::move(std::get<SyncReply>(d.reply));
            it->second->timer.cancel();
            sync_waiters_.erase(it);
        }
    }
}

common::awaitable<void> GroupCoordinator::write_record(std::string group_id) {
    Group* g = find(group_id);
    if (!g) co_return;
    auto written = co_await store_->write_group(group_id, g->record());
    if (!written) {
        common::log::get("groups")->warn("writing group {} failed: {}", group_id,
                                         written.error().message());
    }
}

void GroupCoordinator::arm(int64_t deadline_ms) {
    if (!running_ || deadline_ms >= armed_ms_) return;
    armed_ms_ = deadline_ms;
    deadline_timer_->expires_after(
        std::chrono::milliseconds(std::max<int64_t>(0, deadline_ms - now())));
}

void GroupCoordinator::tick() {
    const int64_t t = now();
    armed_ms_ = kNoDeadline;
    deadline_timer_->expires_at(asio::steady_timer::time_point::max());
    std::vector<std::string> due;
    for (const auto& [id, g] : groups_) {
        if (g.next_deadline() <= t) due.push_back(id);
    }
    for (const auto& id : due) {
        if (Group* g = find(id)) g->advance(t);
        settle(id);
    }
    for (const auto& [id, g] : groups_) arm(g.next_deadline());
}

common::awaitable<void> GroupCoordinator::deadline_loop() {
    while (running_) {
        boost::system::error_code ec;
        co_await deadline_timer_->async_wait(asio::redirect_error(use_awaitable, ec));
        if (!running_) co_return;
        if (!ec) tick();
    }
}

common::awaitable<void> GroupCoordinator::expiry_loop() {
    while (running_) {
        expiry_timer_->expires_after(
            std::chrono::milliseconds(config_.offsets_retention_check_interval_ms));
        boost::system::error_code ec;
        co_await expiry_timer_->async_wait(asio::redirect_error(use_awaitable, ec));
        if (!running_ || ec) co_return;
        co_await expire_offsets();
    }
}

}  // namespace broker::server::groups
