#pragma once
// CoordinatorLeadership (clustered mode): a broker coordinates the groups of the
// __consumer_offsets partitions it leads. Every `interval` it compares the partitions led here,
// with their leader ready (everything committed before the leader's term is in its log), against
// what the coordinator holds: it loads a partition newly led here (or led again in a later term,
// or whose load failed) and unloads one led elsewhere now, or gone from the topic.
//
// Lives on the coordinator's shard (shard 0, beside the replicated partitions); every member runs
// there. The coordinator outlives it; stop() before the coordinator stops.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "broker/server/groups/group_coordinator.h"
#include "common/asio.h"

namespace broker::server::groups {

class CoordinatorLeadership {
  public:
    // The partition count of __consumer_offsets (0 while it does not exist).
    using PartitionCount = std::function<int32_t()>;
    // The leader epoch of `partition` when this broker leads it and its leader is ready, else
    // nullopt.
    using LeaderEpoch = std::function<std::optional<int32_t>(int32_t partition)>;

    CoordinatorLeadership(common::asio::any_io_executor executor, GroupCoordinator& coordinator,
                          PartitionCount partition_count, LeaderEpoch leader_epoch,
                          std::chrono::milliseconds interval);
    ~CoordinatorLeadership();
    CoordinatorLeadership(const CoordinatorLeadership&) = delete;
    CoordinatorLeadership& operator=(const CoordinatorLeadership&) = delete;

    // Checks now and then every interval until stop().
    void start();
    void stop();
    // One comparison: starts the loads and does the unloads it finds due.
    void check();

  private:
    common::awaitable<void> loop();

    common::asio::any_io_executor executor_;
    GroupCoordinator& coordinator_;
    PartitionCount partition_count_;
    LeaderEpoch leader_epoch_;
    std::chrono::milliseconds interval_;
    std::unique_ptr<common::asio::steady_timer> timer_;
    std::map<int32_t, int32_t> loaded_epochs_;  // partition -> leader epoch it was loaded in
    bool running_ = false;
};

}  // namespace broker::server::groups
