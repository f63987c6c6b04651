#include "broker/server/handlers/offset_for_leader_epoch.h"

#include <gtest/gtest.h>

#include "broker/server/handlers/produce.h"
#include "common/protocol/error_code.h"
#include "tests/broker/partition/test_batches.h"
#include "tests/broker/server/handlers/datapath_fixture.h"

namespace broker::server::handlers {
namespace {

using common::protocol::ErrorCode;
using partition::testing::make_batch;
using PartitionResult = OffsetForLeaderEpochHandler::Response::EpochEndOffset;

class OffsetForLeaderEpochHandlerTest : public testing::DatapathFixture {
  protected:
    void SetUp() override {
        create_topic("t", 1);
        ProduceHandler::Request r;
        r.acks = 1;
        auto& t = r.topic_data.emplace_back();
        t.name = "t";
        auto& p = t.partition_data.emplace_back();
        p.index = 0;
        p.records = make_batch({.values = {"a", "b", "c"}});
        call<ProduceHandler>(std::move(r), 7);
    }

    PartitionResult ask(int32_t leader_epoch, int32_t current_leader_epoch = -1,
                        int32_t partition = 0, int16_t version = 4) {
        OffsetForLeaderEpochHandler::Request r;
        auto& t = r.topics.emplace_back();
        t.topic = "t";
        auto& p = t.partitions.emplace_back();
        p.partition = partition;
        p.current_leader_epoch = current_leader_epoch;
        p.leader_epoch = leader_epoch;
        auto resp = call<OffsetForLeaderEpochHandler>(std::move(r), version);
        return resp.topics.at(0).partitions.at(0);
    }
};

TEST_F(OffsetForLeaderEpochHandlerTest, CurrentEpochEndsAtTheLogEndOffset) {
    auto r = ask(0);
    EXPECT_EQ(r.error_code, 0);
    EXPECT_EQ(r.leader_epoch, 0);
    EXPECT_EQ(r.end_offset, 3);
}

TEST_F(OffsetForLeaderEpochHandlerTest, UnknownEpochIsUndefined) {
    auto r = ask(5);
    EXPECT_EQ(r.error_code, 0);
    EXPECT_EQ(r.leader_epoch, -1);
    EXPECT_EQ(r.end_offset, -1);
}

TEST_F(OffsetForLeaderEpochHandlerTest, NewerCurrentEpochIsUnknownAndUnknownPartitionReported) {
    EXPECT_EQ(ask(0, 3).error_code, static_cast<int16_t>(ErrorCode::UnknownLeaderEpoch));
    EXPECT_EQ(ask(0, -1, 4).error_code, static_cast<int16_t>(ErrorCode::UnknownTopicOrPartition));
}

TEST_F(OffsetForLeaderEpochHandlerTest, VersionZeroAnswersTheEndOffset) {
    auto r = ask(0, -1, 0, 0);
    EXPECT_EQ(r.error_code, 0);
    EXPECT_EQ(r.end_offset, 3);
}

}  // namespace
}  // namespace broker::server::handlers
