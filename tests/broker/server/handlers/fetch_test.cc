#include "broker/server/handlers/fetch.h"

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

int16_t code(ErrorCode c) {
    return static_cast<int16_t>(c);
}

class FetchHandlerTest : public testing::DatapathFixture {
  protected:
    int64_t produce(const std::string& topic, int32_t index, const BatchSpec& spec) {
        ProduceHandler::Request r;
        r.acks = 1;
        auto& t = r.topic_data.emplace_back();
        t.name = topic;
        auto& p = t.partition_data.emplace_back();
        p.index = index;
        p.records = make_batch(spec);
        auto resp = call<ProduceHandler>(std::move(r), 7);
        EXPECT_EQ(resp.responses[0].partition_responses[0].error_code, 0);
        return resp.responses[0].partition_responses[0].base_offset;
    }

    static FetchHandler::Request fetch(std::vector<std::tuple<std::string, int32_t, int64_t>> parts,
                                       int32_t min_bytes = 0, int32_t max_wait_ms = 0,
                                       int32_t partition_max = 1 << 20) {
        FetchHandler::Request r;
        r.min_bytes = min_bytes;
        r.max_wait_ms = max_wait_ms;
        for (auto& [topic, index, offset] : parts) {
            if (r.topics.empty() || r.topics.back().topic != topic) {
                r.topics.emplace_back().topic = topic;
            }
            auto& p = r.topics.back().partitions.emplace_back();
            p.partition = index;
            p.fetch_offset = offset;
            p.partition_max_bytes = partition_max;
        }
        return r;
    }
};

TEST_F(FetchHandlerTest, ReturnsStoredBatchesByteForByte) {
    create_topic("t", 1);
    auto batch = make_batch({.values = {"hello", "world"}});
    produce("t", 0, {.values = {"hello", "world"}});
    auto r = call<FetchHandler>(fetch({{"t", 0, 0}}), 11);
    ASSERT_EQ(r.responses.size(), 1u);
    const auto& p = r.responses[0].partitions[0];
    EXPECT_EQ(p.error_code, 0);
    EXPECT_EQ(p.high_watermark, 2);
    EXPECT_EQ(p.last_stable_offset, 2);
    EXPECT_EQ(p.log_start_offset, 0);
    ASSERT_TRUE(p.records.has_value());
    // Stored as sent apart from the leader epoch (outside the CRC) set to the partition's.
    (void)common::records::set_partition_leader_epoch(batch, partition::kLeaderEpoch);
    EXPECT_EQ(*p.records, batch);
    EXPECT_FALSE(p.aborted_transactions.has_value());
    EXPECT_EQ(r.session_id, 0);
}

TEST_F(FetchHandlerTest, ResponseMaxBytesStillReturnsOneBatchForTheFirstPartitionWithData) {
    create_topic("t", 2);
    produce("t", 0, {.values = {std::string(200, 'a')}});
    produce("t", 1, {.values = {std::string(200, 'b')}});
    auto req = fetch({{"t", 0, 0}, {"t", 1, 0}});
    req.max_bytes = 10;
    auto r = call<FetchHandler>(std::move(req), 11);
    const auto& parts = r.responses[0].partitions;
    EXPECT_GT(parts[0].records->size(), 200u);
    EXPECT_TRUE(parts[1].records->empty());
    EXPECT_EQ(parts[1].high_watermark, 1);
}

TEST_F(FetchHandlerTest, PartitionMaxBytesLimitsLaterBatches) {
    create_topic("t", 1);
    const auto size = make_batch({.values = {"xxxx"}}).size();
    for (int i = 0; i < 3; ++i) produce("t", 0, {.values = {"xxxx"}});
    auto r = call<FetchHandler>(fetch({{"t", 0, 0}}, 0, 0, static_cast<int32_t>(size * 2 - 1)), 11);
    EXPECT_EQ(r.responses[0].partitions[0].records->size(), size);
}

TEST_F(FetchHandlerTest, UnknownPartitionAndOutOfRangeOffsetGetTheirOwnErrors) {
    create_topic("t", 1);
    produce("t", 0, {});
    auto r = call<FetchHandler>(fetch({{"t", 0, 5}, {"t", 3, 0}, {"nope", 0, 0}}), 11);
    EXPECT_EQ(r.responses[0].partitions[0].error_code, code(ErrorCode::OffsetOutOfRange));
    EXPECT_EQ(r.responses[0].partitions[1].error_code, code(ErrorCode::UnknownTopicOrPartition));
    EXPECT_EQ(r.responses[1].partitions[0].error_code, code(ErrorCode::UnknownTopicOrPartition));
}

TEST_F(FetchHandlerTest, UnknownSessionIsRefused) {
    auto req = fetch({});
    req.session_id = 42;
    req.session_epoch = 1;
    auto r = call<FetchHandler>(std::move(req), 11);
    EXPECT_EQ(r.error_code, code(ErrorCode::FetchSessionIdNotFound));
}

TEST_F(FetchHandlerTest, LongPollReturnsAtTheDeadlineWithWhatThereIs) {
    create_topic("t", 1);
    produce("t", 0, {});
    auto r = call<FetchHandler>(fetch({{"t", 0, 0}}, 1 << 20, 1), 11);
    EXPECT_EQ(r.responses[0].partitions[0].error_code, 0);
    EXPECT_FALSE(r.responses[0].partitions[0].records->empty());
}

TEST_F(FetchHandlerTest, LongPollIsWokenByAnAppend) {
    create_topic("t", 1);
    // A very long max wait: the fetch can only finish early by being woken by the append.
    RequestContext ctx(services_, 11, 1, std::string("test"), "127.0.0.1:1", 0);
    auto pending = common::asio::co_spawn(
        shards_.context(0), FetchHandler::handle(ctx, fetch({{"t", 0, 0}}, 1, 3600000)),
        common::asio::use_future);
    produce("t", 0, {.values = {"wake"}});
    auto r = pending.get();
    EXPECT_EQ(r.responses[0].partitions[0].high_watermark, 1);
    EXPECT_FALSE(r.responses[0].partitions[0].records->empty());
}

TEST_F(FetchHandlerTest, WrongLeaderEpochIsReported) {
    create_topic("t", 1);
    auto req = fetch({{"t", 0, 0}});
    req.topics[0].partitions[0].current_leader_epoch = 5;
    auto r = call<FetchHandler>(std::move(req), 11);
    EXPECT_EQ(r.responses[0].partitions[0].error_code, code(ErrorCode::UnknownLeaderEpoch));
}

}  // namespace
}  // namespace broker::server::handlers
