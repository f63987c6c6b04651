#include "broker/server/handlers/list_offsets.h"

#include <gtest/gtest.h>

#include "broker/server/handlers/produce.h"
#include "common/protocol/error_code.h"
#include "tests/broker/partition/test_batches.h"
#include "tests/broker/server/handlers/datapath_fixture.h"

namespace broker::server::handlers {
namespace {

using common::protocol::ErrorCode;
using partition::testing::BatchSpec;
using partition::testing::make_batch;

class ListOffsetsHandlerTest : public testing::DatapathFixture {
  protected:
    void SetUp() override {
        create_topic("t", 1);
        for (int64_t ts : {100, 300, 200}) {
            ProduceHandler::Request r;
            r.acks = 1;
            auto& t = r.topic_data.emplace_back();
            t.name = "t";
            auto& p = t.partition_data.emplace_back();
            p.index = 0;
            p.records = make_batch({.timestamp = ts, .values = {"a", "b"}});
            call<ProduceHandler>(std::move(r), 7);
        }
    }

    ListOffsetsHandler::Response::ListOffsetsPartitionResponse list(int64_t timestamp,
                                                                    int16_t version,
                                                                    int32_t index = 0) {
        ListOffsetsHandler::Request r;
        r.replica_id = -1;
        auto& t = r.topics.emplace_back();
        t.name = "t";
        auto& p = t.partitions.emplace_back();
        p.partition_index = index;
        p.timestamp = timestamp;
        auto resp = call<ListOffsetsHandler>(std::move(r), version);
        return resp.topics.at(0).partitions.at(0);
    }
};

TEST_F(ListOffsetsHandlerTest, EarliestAndLatest) {
    auto earliest = list(-2, 5);
    EXPECT_EQ(earliest.error_code, 0);
    EXPECT_EQ(earliest.offset, 0);
    EXPECT_EQ(earliest.leader_epoch, 0);
    EXPECT_EQ(list(-1, 5).offset, 6);
}

TEST_F(ListOffsetsHandlerTest, ByTimestampFindsTheFirstBatchAtOrAfterIt) {
    auto r = list(150, 5);
    EXPECT_EQ(r.offset, 2);
    EXPECT_EQ(r.timestamp, 300);
    auto none = list(1000, 5);
    EXPECT_EQ(none.error_code, 0);
    EXPECT_EQ(none.offset, -1);
    EXPECT_EQ(none.timestamp, -1);
    EXPECT_EQ(none.leader_epoch, -1);
}

TEST_F(ListOffsetsHandlerTest, MaxTimestampFromVersionSeven) {
    auto r = list(-3, 7);
    EXPECT_EQ(r.offset, 2);
    EXPECT_EQ(r.timestamp, 300);
    EXPECT_EQ(list(-3, 6).error_code, static_cast<int16_t>(ErrorCode::UnsupportedVersion));
}

TEST_F(ListOffsetsHandlerTest, VersionZeroAnswersWithOldStyleOffsets) {
    auto r = list(-1, 0);
    ASSERT_EQ(r.old_style_offsets.size(), 1u);
    EXPECT_EQ(r.old_style_offsets[0], 6);
}

TEST_F(ListOffsetsHandlerTest, UnknownPartitionIsReported) {
    EXPECT_EQ(list(-1, 5, 9).error_code, static_cast<int16_t>(ErrorCode::UnknownTopicOrPartition));
}

}  // namespace
}  // namespace broker::server::handlers
