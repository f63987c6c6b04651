// CoordinatorLeadership over a real GroupCoordinator with a fake store: which partitions it loads
// and unloads as the leaderships it is shown change.
#include "broker/server/groups/coordinator_leadership.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/testing/fake_group_store.h"

namespace broker::server::groups {
namespace {

using testing::FakeGroupData;
using testing::FakeGroupStore;

class CoordinatorLeadershipTest : public ::testing::Test {
  protected:
    CoordinatorLeadershipTest()
        : coordinator_(
              io_.get_executor(), std::make_unique<FakeGroupStore>(&data_, 4), GroupConfig{},
              [] { return int64_t{1000}; }, 7),
          leadership_(
              io_.get_executor(), coordinator_, [this] { return count_; },
              [this](int32_t p) -> std::optional<int32_t> {
                  auto it = led_.find(p);
                  if (it == led_.end()) return std::nullopt;
                  return it->second;
              },
              std::chrono::milliseconds(100)) {}

    // One check, then the loads it started run to their end.
    void check() {
        leadership_.check();
        io_.restart();
        io_.poll();
    }

    common::asio::io_context io_;
    FakeGroupData data_;
    int32_t count_ = 4;
    std::map<int32_t, int32_t> led_;  // partition -> leader epoch, for those led here
    GroupCoordinator coordinator_;
    CoordinatorLeadership leadership_;
};

TEST_F(CoordinatorLeadershipTest, LoadsWhatIsLedHereAndUnloadsWhatMovedAway) {
    led_ = {{1, 3}, {2, 5}};
    check();
    EXPECT_FALSE(coordinator_.holds(0));
    EXPECT_TRUE(coordinator_.holds(1));
    EXPECT_TRUE(coordinator_.holds(2));
    EXPECT_FALSE(coordinator_.holds(3));

    led_.erase(1);
    led_[3] = 1;
    check();
    EXPECT_FALSE(coordinator_.holds(1));
    EXPECT_TRUE(coordinator_.holds(2));
    EXPECT_TRUE(coordinator_.holds(3));
}

TEST_F(CoordinatorLeadershipTest, ALaterTermReloadsThePartition) {
    std::string group = "g";
    const int32_t p = coordinator_.partition_for(group);
    led_ = {{p, 3}};
    check();
    ASSERT_TRUE(coordinator_.holds(p));
    // Another coordinator wrote while this broker did not lead: the new term loads it again.
    data_.offsets[group][{"t", 0}] = CommittedOffset{77, -1, "", 1, -1};
    EXPECT_EQ(coordinator_.fetch(group, std::nullopt).offsets.size(), 0u);
    led_[p] = 4;
    check();
    auto fetched = coordinator_.fetch(group, std::nullopt);
    ASSERT_EQ(fetched.offsets.size(), 1u);
    EXPECT_EQ(fetched.offsets[0].offset.offset, 77);
}

TEST_F(CoordinatorLeadershipTest, PartitionsBeyondTheTopicAreUnloaded) {
    led_ = {{0, 1}, {3, 1}};
    check();
    ASSERT_TRUE(coordinator_.holds(3));
    count_ = 0;  // the topic is gone
    check();
    EXPECT_FALSE(coordinator_.holds(0));
    EXPECT_FALSE(coordinator_.holds(3));
}

}  // namespace
}  // namespace broker::server::groups
