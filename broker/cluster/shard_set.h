#pragma once
// ShardSet: the broker's shards, one io_context per shard, each run by one thread.
// invoke_on(shard, fn, args...) runs fn(args...) on that shard's thread and resumes the caller on
// its own shard: the one cross-shard primitive (work is posted, never locked).
//
// Example (in a handler; pass values, not a capturing coroutine lambda):
//   awaitable<Result<AppendInfo>> append_here(PartitionManager* pm, TopicPartition tp, Bytes b);
//   auto s = ctx.shard_of(topic, partition);
//   auto r = co_await ctx.shards().invoke_on(s, append_here, &ctx.partitions().on(s), tp, bytes);
// fn may return a plain value or an awaitable<T>; either way the caller gets awaitable<T>.
// An exception thrown by fn propagates to the caller (handlers should return values instead).

#include <memory>
#include <optional>
#include <thread>
#include <tuple>
#include <type_traits>
#include <vector>

#include "broker/cluster/shard.h"
#include "common/asio.h"

namespace broker::cluster {

namespace detail {
template <class T>
struct UnwrapAwaitable {
    using type = T;
    static constexpr bool kIsAwaitable = false;
};
template <class T>
struct UnwrapAwaitable<boost::asio::awaitable<T>> {
    using type = T;
    static constexpr bool kIsAwaitable = true;
};

// Runs on the target shard. Non-void results travel back wrapped in std::optional because
// co_spawn needs a default-constructible result type (Result<T> is not).
template <class R, class F, class Tuple>
common::awaitable<std::optional<R>> run_on_shard(F fn, Tuple args) {
    using Raw = decltype(std::apply(fn, args));
    if constexpr (UnwrapAwaitable<Raw>::kIsAwaitable) {
        co_return std::optional<R>(co_await std::apply(fn, std::move(args)));
    } else {
        co_return std::optional<R>(std::apply(fn, std::move(args)));
    }
}

template <class F, class Tuple>
common::awaitable<void> run_void_on_shard(F fn, Tuple args) {
    using Raw = decltype(std::apply(fn, args));
    if constexpr (UnwrapAwaitable<Raw>::kIsAwaitable) {
        co_await std::apply(fn, std::move(args));
    } else {
        std::apply(fn, std::move(args));
    }
}
}  // namespace detail

// Owned by app::Broker; outlives every connection and service. start() spawns one thread per
// shard; stop() asks every io_context to finish; join() waits for the threads.
class ShardSet {
  public:
    explicit ShardSet(ShardIndex count);
    ~ShardSet();
    ShardSet(const ShardSet&) = delete;
    ShardSet& operator=(const ShardSet&) = delete;

    ShardIndex size() const { return static_cast<ShardIndex>(contexts_.size()); }
    common::asio::io_context& context(ShardIndex shard) { return *contexts_.at(shard); }

    // Starts one thread per shard; each marks itself with set_this_shard() and runs its context
    // until stop(). Work guards keep an idle context running.
    void start();
    void stop();
    void join();

    // Runs fn(args...) on `shard` and resumes the caller on its own executor.
    template <class F, class... Args>
    auto invoke_on(ShardIndex shard, F fn, Args... args) -> common::awaitable<
        typename detail::UnwrapAwaitable<std::invoke_result_t<F&, Args&...>>::type> {
        using R = typename detail::UnwrapAwaitable<std::invoke_result_t<F&, Args&...>>::type;
        if constexpr (std::is_void_v<R>) {
            co_await common::asio::co_spawn(
                context(shard),
                detail::run_void_on_shard(std::move(fn), std::make_tuple(std::move(args)...)),
                common::use_awaitable);
        } else {
            std::optional<R> result = co_await common::asio::co_spawn(
                context(shard),
                detail::run_on_shard<R>(std::move(fn), std::make_tuple(std::move(args)...)),
                common::use_awaitable);
            co_return std::move(*result);
        }
    }

  private:
    std::vector<std::unique_ptr<common::asio::io_context>> contexts_;
    std::vector<
        std::unique_ptr<common::asio::executor_work_guard<common::asio::io_context::executor_type>>>
        guards_;
    std::vector<std::thread> threads_;
};

}  // namespace broker::cluster
