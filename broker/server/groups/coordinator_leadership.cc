#include "broker/server/groups/coordinator_leadership.h"

namespace broker::server::groups {
namespace {

namespace asio = common::asio;

// Runs a load to its end; the coordinator logs a failure, and the next check retries it.
common::awaitable<void> load_partition(GroupCoordinator* coordinator, int32_t partition) {
    co_await coordinator->load(partition);
}

}  // namespace

CoordinatorLeadership::CoordinatorLeadership(asio::any_io_executor executor,
                                             GroupCoordinator& coordinator,
                                             PartitionCount partition_count,
                                             LeaderEpoch leader_epoch,
                                             std::chrono::milliseconds interval)
    : executor_(std::move(executor)),
      coordinator_(coordinator),
      partition_count_(std::move(partition_count)),
      leader_epoch_(std::move(leader_epoch)),
      interval_(interval),
      timer_(std::make_unique<asio::steady_timer>(executor_)) {}

CoordinatorLeadership::~CoordinatorLeadership() = default;

void CoordinatorLeadership::start() {
    running_ = true;
    asio::co_spawn(executor_, loop(), asio::detached);
}

void CoordinatorLeadership::stop() {
    running_ = false;
    timer_->cancel();
}

void CoordinatorLeadership::check() {
    const int32_t count = partition_count_();
    for (auto it = loaded_epochs_.begin(); it != loaded_epochs_.end();) {
        const auto epoch = it->first < count ? leader_epoch_(it->first) : std::nullopt;
        if (epoch) {
            ++it;
            continue;
        }
        coordinator_.unload(it->first);
        it = loaded_epochs_.erase(it);
    }
    for (int32_t p = 0; p < count; ++p) {
        const auto epoch = leader_epoch_(p);
        if (!epoch) continue;
        auto held = loaded_epochs_.find(p);
        if (held != loaded_epochs_.end()) {
            if (held->second == *epoch && coordinator_.holds(p)) continue;
            coordinator_.unload(p);  // loaded in an earlier term, or its load failed
        }
        loaded_epochs_[p] = *epoch;
        asio::co_spawn(executor_, load_partition(&coordinator_, p), asio::detached);
    }
}

common::awaitable<void> CoordinatorLeadership::loop() {
    while (running_) {
        check();
        timer_->expires_after(interval_);
        boost::system::error_code ec;
        co_await timer_->async_wait(asio::redirect_error(common::use_awaitable, ec));
    }
}

}  // namespace broker::server::groups
