#pragma once
// gather(): runs several coroutines concurrently on the caller's executor and resumes once all
// have finished. Each task writes its own result slot, so results stay in request order.
// Used by the data-path handlers to fan per-partition work out to the owning shards.

#include <memory>
#include <vector>

#include "broker/partition/signal.h"
#include "common/asio.h"
#include "common/log.h"

namespace broker::partition {

namespace detail {
struct GatherState {
    explicit GatherState(const common::asio::any_io_executor& ex) : done(ex) {}
    size_t pending = 0;
    Signal done;
};
}  // namespace detail

inline common::awaitable<void> gather(std::vector<common::awaitable<void>> tasks) {
    if (tasks.empty()) co_return;
    auto ex = co_await common::asio::this_coro::executor;
    auto state = std::make_shared<detail::GatherState>(ex);
    state->pending = tasks.size();
    for (auto& task : tasks) {
        common::asio::co_spawn(ex, std::move(task), [state](std::exception_ptr e) {
            if (e) common::log::get("partition")->error("a fanned-out task threw");
            if (--state->pending == 0) state->done.set();
        });
    }
    co_await state->done.wait();
}

}  // namespace broker::partition
