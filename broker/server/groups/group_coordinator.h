#pragma once
// GroupCoordinator: the groups whose __consumer_offsets partitions this shard owns. It keeps each
// Group (group.h) in memory, holds the JoinGroup/SyncGroup requests a rebalance answers later,
// drives session and rebalance timeouts and offset expiry with timers on its shard, and writes
// every change through its GroupStore before the client hears of it.
//
// One per shard, created by app::Broker before the shards run and destroyed after they stop;
// every method runs on its shard (handlers hop there with ShardSet::invoke_on). Methods that
// return awaitables take their arguments by value.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "broker/server/groups/group.h"
#include "broker/server/groups/group_config.h"
#include "broker/server/groups/group_store.h"
#include "broker/server/groups/group_types.h"
#include "broker/server/groups/group_view.h"
#include "common/asio.h"

namespace broker::server::groups {

struct LeaveIdentity {
    std::string member_id;
    std::optional<std::string> instance_id;
};

struct LeaveResult {
    ErrorCode error = ErrorCode::None;  // the group's (loading, not coordinator, ...)
    std::vector<ErrorCode> members;     // one per identity, in order
};

struct FetchedOffset {
    TopicPartition partition;
    CommittedOffset offset;  // offset -1 when nothing is committed
};

struct FetchResult {
    ErrorCode error = ErrorCode::None;
    std::vector<FetchedOffset> offsets;
};

struct DeleteOffsetsResult {
    ErrorCode error = ErrorCode::None;
    std::map<TopicPartition, ErrorCode> partitions;
};

struct ListedGroup {
    std::string group_id;
    std::string protocol_type;
    GroupState state = GroupState::Empty;
};

struct ListResult {
    ErrorCode error = ErrorCode::None;
    std::vector<ListedGroup> groups;
};

class GroupCoordinator {
  public:
    using Clock = std::function<int64_t()>;  // ms since the epoch

    GroupCoordinator(common::asio::any_io_executor executor, std::unique_ptr<GroupStore> store,
                     GroupConfig config, Clock clock, uint64_t seed);
    ~GroupCoordinator();
    GroupCoordinator(const GroupCoordinator&) = delete;
    GroupCoordinator& operator=(const GroupCoordinator&) = delete;

    // Pure: the __consumer_offsets partition of a group (callable on any shard).
    int32_t partition_for(std::string_view group_id) const;

    // Takes over partition `partition`: loads its groups (COORDINATOR_LOAD_IN_PROGRESS meanwhile).
    // A load that unload() overtakes ends without effect.
    common::awaitable<common::Result<void>> load(int32_t partition);
    // Gives up partition `partition` (its leadership moved away): forgets its groups and answers
    // their held requests with NOT_COORDINATOR; requests for them get NOT_COORDINATOR from now.
    void unload(int32_t partition);
    // Whether `partition` is loaded or loading here.
    bool holds(int32_t partition) const {
        return owned_.count(partition) > 0 || loading_.count(partition) > 0;
    }
    // Clustered mode: whether this broker leads `partition` (its Raft leader, ready or not).
    // A group of such a partition that is not loaded yet gets COORDINATOR_LOAD_IN_PROGRESS, so
    // the client asks this broker again, where NOT_COORDINATOR would send it looking for another
    // coordinator (FindCoordinator already names this one). Unset: every partition not held
    // here is NOT_COORDINATOR.
    using LedHere = std::function<bool(int32_t partition)>;
    void set_led_here(LedHere led_here) { led_here_ = std::move(led_here); }
    // Starts the timers (deadlines, offset expiry); stop() cancels them and answers every held
    // request with NOT_COORDINATOR (the client finds the coordinator again).
    void start();
    void stop();
    // Runs every deadline that has passed (the timer calls it; tests with a fake clock too).
    void tick();
    // One offset expiry pass (the expiry timer calls it every retention check interval).
    common::awaitable<void> expire_offsets();

    common::awaitable<JoinReply> join(std::string group_id, JoinArgs args);
    common::awaitable<SyncReply> sync(std::string group_id, SyncArgs args);
    ErrorCode heartbeat(std::string group_id, std::string member_id,
                        std::optional<std::string> instance_id, int32_t generation);
    LeaveResult leave(std::string group_id, std::vector<LeaveIdentity> members);
    // One error for the commit; `offsets` are durable and visible when it is None.
    common::awaitable<ErrorCode> commit(std::string group_id, std::string member_id,
                                        std::optional<std::string> instance_id, int32_t generation,
                                        OffsetMap offsets);
    // nullopt partitions: every committed offset of the group.
    FetchResult fetch(std::string group_id, std::optional<std::vector<TopicPartition>> partitions);
    common::awaitable<DeleteOffsetsResult> delete_offsets(std::string group_id,
                                                          std::vector<TopicPartition> partitions);
    common::awaitable<ErrorCode> delete_group(std::string group_id);
    // An unknown group is described as Dead with no error, as Kafka does.
    std::pair<ErrorCode, GroupDescription> describe(std::string group_id) const;
    ListResult list() const;
    std::vector<GroupView> views() const;

    struct Waiter;  // a held JoinGroup/SyncGroup (group_waiter.h)

  private:
    using WaiterKey = std::pair<std::string, std::string>;  // group, member

    ErrorCode route_error(const std::string& group_id) const;
    // Answers the held JoinGroup/SyncGroup requests of `group_id` (of every group: nullopt) with
    // `error`.
    void fail_waiters(const std::optional<std::string>& group_id, ErrorCode error);
    Group* find(const std::string& group_id);
    Group& get_or_create(const std::string& group_id);
    std::string new_member_id(const std::string& prefix);
    int64_t now() const { return clock_(); }

    // After any change to a group: hand out its deliveries, drop it if vacant, write its record if
    // it asks, and re-arm the deadline timer.
    void settle(const std::string& group_id);
    void deliver(const std::string& group_id, std::vector<Delivery> deliveries);
    void arm(int64_t deadline_ms);
    common::awaitable<void> deadline_loop();
    common::awaitable<void> expiry_loop();
    common::awaitable<void> write_record(std::string group_id);
    common::awaitable<void> store_assignment(std::string group_id);

    common::asio::any_io_executor executor_;
    std::unique_ptr<GroupStore> store_;
    GroupConfig config_;
    Clock clock_;
    std::mt19937_64 random_;
    std::map<std::string, Group> groups_;
    std::set<int32_t> owned_;
    std::set<int32_t> loading_;
    LedHere led_here_;
    std::map<int32_t, uint64_t> load_generation_;  // bumped by every load() and unload()
    std::map<WaiterKey, std::shared_ptr<Waiter>> join_waiters_;
    std::map<WaiterKey, std::shared_ptr<Waiter>> sync_waiters_;
    std::unique_ptr<common::asio::steady_timer> deadline_timer_;
    std::unique_ptr<common::asio::steady_timer> expiry_timer_;
    int64_t armed_ms_;
    bool running_ = false;
};

}  // namespace broker::server::groups
