#include "broker/cluster/shard_set.h"

#include <future>

#include <gtest/gtest.h>

namespace broker::cluster {
namespace {

ShardIndex where_am_i() {
    return this_shard();
}

common::awaitable<int> add_later(int a, int b) {
    co_return a + b + static_cast<int>(this_shard());
}

struct Observed {
    ShardIndex callee = kNoShard;
    ShardIndex resumed_on = kNoShard;
    int sum = 0;
};

common::awaitable<void> hop(ShardSet* shards, std::promise<Observed>* done) {
    Observed seen;
    seen.callee = co_await shards->invoke_on(1, where_am_i);
    seen.sum = co_await shards->invoke_on(1, add_later, 2, 3);
    seen.resumed_on = this_shard();
    done->set_value(seen);
}

TEST(ShardSetTest, InvokeOnRunsOnTargetShardAndResumesOnCaller) {
    ShardSet shards(2);
    shards.start();
    std::promise<Observed> done;
    common::asio::co_spawn(shards.context(0), hop(&shards, &done), common::asio::detached);
    Observed seen = done.get_future().get();
    shards.stop();
    shards.join();
    EXPECT_EQ(seen.callee, 1u);
    EXPECT_EQ(seen.sum, 6);
    EXPECT_EQ(seen.resumed_on, 0u);
}

TEST(ShardOfTest, IsStableAndWithinRange) {
    EXPECT_EQ(shard_of("orders", 3, 1), 0u);
    for (int32_t p = 0; p < 64; ++p) {
        ShardIndex s = shard_of("orders", p, 4);
        EXPECT_LT(s, 4u);
        EXPECT_EQ(s, shard_of("orders", p, 4));
    }
    EXPECT_NE(shard_of("orders", 0, 4), shard_of("orders", 1, 4));
}

}  // namespace
}  // namespace broker::cluster
