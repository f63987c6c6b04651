#include "operator/runtime/work_queue.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace kop::runtime {
namespace {

// A clock the test moves by hand.
struct FakeClock {
    WorkQueue::Clock::time_point now{};
    WorkQueue::Now fn() {
        return [this] { return now; };
    }
};

TEST(WorkQueueTest, AKeyAddedTwiceIsQueuedOnce) {
    FakeClock clock;
    WorkQueue q({}, clock.fn());
    q.add("a");
    q.add("a");
    q.add("b");
    EXPECT_EQ(q.depth(), 2u);
    EXPECT_EQ(q.try_get(), "a");
    EXPECT_EQ(q.try_get(), "b");
    EXPECT_EQ(q.try_get(), std::nullopt);
}

TEST(WorkQueueTest, AKeyBeingProcessedIsNotHandedOutAgainUntilDone) {
    FakeClock clock;
    WorkQueue q({}, clock.fn());
    q.add("a");
    auto first = q.try_get();
    ASSERT_EQ(first, "a");
    q.add("a");  // changed while a worker holds it
    EXPECT_EQ(q.try_get(), std::nullopt);
    q.done("a");
    EXPECT_EQ(q.try_get(), "a");
    q.done("a");
    EXPECT_EQ(q.try_get(), std::nullopt);
}

TEST(WorkQueueTest, DelayedKeysBecomeReadyWhenTheirTimeComes) {
    FakeClock clock;
    WorkQueue q({}, clock.fn());
    q.add_after("late", std::chrono::seconds(10));
    q.add_after("soon", std::chrono::seconds(1));
    EXPECT_EQ(q.try_get(), std::nullopt);
    clock.now += std::chrono::seconds(1);
    EXPECT_EQ(q.try_get(), "soon");
    clock.now += std::chrono::seconds(9);
    EXPECT_EQ(q.try_get(), "late");
}

TEST(WorkQueueTest, RateLimitedRetriesBackOffExponentiallyUntilForgotten) {
    FakeClock clock;
    WorkQueue q(Backoff{Duration(10), Duration(1000), 2.0}, clock.fn());
    q.add_rate_limited("k");  // 10 ms
    clock.now += Duration(10);
    ASSERT_EQ(q.try_get(), "k");
    q.done("k");
    q.add_rate_limited("k");  // 20 ms
    clock.now += Duration(19);
    EXPECT_EQ(q.try_get(), std::nullopt);
    clock.now += Duration(1);
    ASSERT_EQ(q.try_get(), "k");
    q.done("k");
    EXPECT_EQ(q.failures("k"), 2);
    q.forget("k");
    EXPECT_EQ(q.failures("k"), 0);
}

TEST(WorkQueueTest, ShutdownWakesBlockedWorkers) {
    WorkQueue q;
    std::atomic<bool> returned{false};
    std::thread worker([&] {
        EXPECT_EQ(q.get(), std::nullopt);
        returned = true;
    });
    q.shutdown();
    worker.join();
    EXPECT_TRUE(returned);
}

TEST(WorkQueueTest, ManyWorkersNeverHoldTheSameKeyAtOnce) {
    WorkQueue q;
    std::atomic<int> in_flight_a{0};
    std::atomic<bool> overlap{false};
    std::atomic<int> processed{0};
    std::vector<std::thread> workers;
    for (int i = 0; i < 4; ++i) {
        workers.emplace_back([&] {
            while (auto key = q.get()) {
                if (*key == "a" && ++in_flight_a > 1) overlap = true;
                std::this_thread::yield();
                if (*key == "a") --in_flight_a;
                ++processed;
                q.done(*key);
            }
        });
    }
    for (int i = 0; i < 2000; ++i) q.add(i % 2 ? "a" : "k" + std::to_string(i % 7));
    while (q.depth() > 0) std::this_thread::yield();
    q.shutdown();
    for (auto& w : workers) w.join();
    EXPECT_FALSE(overlap);
    EXPECT_GT(processed.load(), 0);
}

TEST(BackoffTest, DelaysGrowByTheFactorAndStopAtTheCap) {
    Backoff b{Duration(5), Duration(100), 2.0};
    EXPECT_EQ(b.delay(0), Duration(5));
    EXPECT_EQ(b.delay(1), Duration(10));
    EXPECT_EQ(b.delay(4), Duration(80));
    EXPECT_EQ(b.delay(5), Duration(100));
    EXPECT_EQ(b.delay(1000), Duration(100));
}

}  // namespace
}  // namespace kop::runtime
