#include "broker/cluster/broker_liveness.h"

#include <gtest/gtest.h>

#include "metadata_test_records.h"

namespace broker::cluster {
namespace {

using namespace std::chrono_literals;
using Due = BrokerLiveness::Due;

class BrokerLivenessTest : public ::testing::Test {
  protected:
    void SetUp() override {
        for (auto r : {testing::broker_record(1, 1), testing::broker_record(2, 2)}) {
            ASSERT_TRUE(state_.apply(r));
        }
        ASSERT_TRUE(state_.apply(BrokerFencingRecord{1, 1, false}));  // 1 unfenced, 2 fenced
    }
    MetadataState state_;
    BrokerLiveness::Clock::time_point t0_{};  // a fake clock: times are passed in
    BrokerLiveness liveness_{10s};
};

TEST_F(BrokerLivenessTest, ANewLeaderGivesEveryBrokerAFullSession) {
    liveness_.reset(state_, t0_);
    EXPECT_TRUE(liveness_.to_fence(state_, t0_ + 10s).empty());
    EXPECT_EQ(liveness_.to_fence(state_, t0_ + 11s), (std::vector<Due>{{1, 1}}));
}

TEST_F(BrokerLivenessTest, HeartbeatsKeepABrokerUnfenced) {
    liveness_.reset(state_, t0_);
    liveness_.heartbeat(1, 1, t0_ + 8s);
    EXPECT_TRUE(liveness_.to_fence(state_, t0_ + 15s).empty());
    EXPECT_EQ(liveness_.to_fence(state_, t0_ + 19s), (std::vector<Due>{{1, 1}}));
}

TEST_F(BrokerLivenessTest, AFencedBrokerThatHeartbeatsIsDueToBeUnfenced) {
    EXPECT_TRUE(liveness_.to_unfence(state_, t0_).empty());
    liveness_.heartbeat(2, 2, t0_);
    EXPECT_EQ(liveness_.to_unfence(state_, t0_ + 1s), (std::vector<Due>{{2, 2}}));
    EXPECT_TRUE(liveness_.to_unfence(state_, t0_ + 11s).empty());  // its session lapsed again
}

TEST_F(BrokerLivenessTest, HeartbeatsOfAnOldIncarnationDoNotCount) {
    liveness_.heartbeat(1, 5, t0_);       // a newer registration's heartbeat (epoch 5)
    liveness_.heartbeat(1, 1, t0_ + 5s);  // the old epoch: ignored
    EXPECT_EQ(liveness_.to_fence(state_, t0_ + 6s), (std::vector<Due>{{1, 1}}));
}

}  // namespace
}  // namespace broker::cluster
