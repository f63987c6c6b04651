#include "broker/server/handlers/produce.h"

#include <gtest/gtest.h>

#include "broker/server/handlers/fetch.h"
#include "broker/storage/log.h"
#include "common/protocol/error_code.h"
#include "tests/broker/partition/test_batches.h"
#include "tests/broker/server/handlers/datapath_fixture.h"

namespace broker::server::handlers {
namespace {

using common::protocol::ErrorCode;
using partition::testing::BatchSpec;
using partition::testing::make_batch;

ProduceHandler::Request produce_request(const std::string& topic,
                                        std::vector<std::pair<int32_t, BatchSpec>> parts,
                                        int16_t acks = 1) {
    ProduceHandler::Request r;
    r.acks = acks;
    r.timeout_ms = 1000;
    auto& t = r.topic_data.emplace_back();
    t.name = topic;
    for (auto& [index, spec] : parts) {
        auto& p = t.partition_data.emplace_back();
        p.index = index;
        p.records = make_batch(spec);
    }
    return r;
}

class ProduceHandlerTest : public testing::DatapathFixture {};

int16_t code(ErrorCode c) {
    return static_cast<int16_t>(c);
}

TEST_F(ProduceHandlerTest, AppendsAndAnswersInRequestOrder) {
    create_topic("orders", 3);
    auto r = call<ProduceHandler>(
        produce_request("orders", {{2, {.values = {"a", "b"}}}, {0, {}}, {2, {}}}), 7);
    ASSERT_EQ(r.responses.size(), 1u);
    const auto& parts = r.responses[0].partition_responses;
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[0].index, 2);
    EXPECT_EQ(parts[1].index, 0);
    EXPECT_EQ(parts[2].index, 2);
    for (const auto& p : parts) EXPECT_EQ(p.error_code, 0);
    EXPECT_EQ(parts[1].base_offset, 0);
    // Both appends to partition 2 succeed with distinct offsets.
    EXPECT_NE(parts[0].base_offset, parts[2].base_offset);
    EXPECT_EQ(parts[0].log_start_offset, 0);
}

TEST_F(ProduceHandlerTest, ProduceToTheOffsetsTopicIsRefusedAsAnInvalidTopic) {
    create_topic("__consumer_offsets", 2);
    auto r = call<ProduceHandler>(produce_request("__consumer_offsets", {{0, {}}, {1, {}}}), 7);
    for (const auto& p : r.responses[0].partition_responses) {
        EXPECT_EQ(p.error_code, code(ErrorCode::InvalidTopicException));
        EXPECT_EQ(p.base_offset, -1);
    }
}

TEST_F(ProduceHandlerTest, UnknownTopicIsRefusedWhenAutoCreateIsOff) {
    auto r = call<ProduceHandler>(produce_request("missing", {{0, {}}}), 7);
    EXPECT_EQ(r.responses[0].partition_responses[0].error_code,
              code(ErrorCode::UnknownTopicOrPartition));
    EXPECT_EQ(r.responses[0].partition_responses[0].base_offset, -1);
}

TEST_F(ProduceHandlerTest, UnknownTopicIsCreatedWhenAutoCreateIsOn) {
    config_.auto_create_topics_enable = true;
    auto r = call<ProduceHandler>(produce_request("fresh", {{0, {}}}), 7);
    EXPECT_EQ(r.responses[0].partition_responses[0].error_code, 0);
    EXPECT_EQ(r.responses[0].partition_responses[0].base_offset, 0);
    EXPECT_NE(topics_.snapshot()->find("fresh"), nullptr);
}

TEST_F(ProduceHandlerTest, PartitionOutsideTheTopicIsUnknown) {
    create_topic("orders", 1);
    auto r = call<ProduceHandler>(produce_request("orders", {{1, {}}, {0, {}}}), 7);
    EXPECT_EQ(r.responses[0].partition_responses[0].error_code,
              code(ErrorCode::UnknownTopicOrPartition));
    EXPECT_EQ(r.responses[0].partition_responses[1].error_code, 0);
}

TEST_F(ProduceHandlerTest, InvalidAcksFailEveryPartition) {
    create_topic("orders", 1);
    auto r = call<ProduceHandler>(produce_request("orders", {{0, {}}}, 2), 7);
    EXPECT_EQ(r.responses[0].partition_responses[0].error_code,
              code(ErrorCode::InvalidRequiredAcks));
}

TEST_F(ProduceHandlerTest, AcksZeroAppendsButSuppressesTheResponse) {
    create_topic("orders", 1);
    bool suppressed = false;
    call<ProduceHandler>(produce_request("orders", {{0, {}}}, 0), 7, &suppressed);
    EXPECT_TRUE(suppressed);
    auto r = call<ProduceHandler>(produce_request("orders", {{0, {}}}, -1), 7, &suppressed);
    EXPECT_FALSE(suppressed);
    EXPECT_EQ(r.responses[0].partition_responses[0].base_offset, 1);
}

TEST_F(ProduceHandlerTest, IdempotentRetryGetsTheOriginalOffsetWithoutError) {
    create_topic("orders", 1);
    const BatchSpec first{.producer_id = 3, .producer_epoch = 0, .base_sequence = 0};
    auto a = call<ProduceHandler>(produce_request("orders", {{0, first}}), 7);
    call<ProduceHandler>(produce_request("orders", {{0, {}}}), 7);
    auto retry = call<ProduceHandler>(produce_request("orders", {{0, first}}), 7);
    EXPECT_EQ(retry.responses[0].partition_responses[0].error_code, 0);
    EXPECT_EQ(retry.responses[0].partition_responses[0].base_offset,
              a.responses[0].partition_responses[0].base_offset);
    auto gap = call<ProduceHandler>(
        produce_request("orders",
                        {{0, {.producer_id = 3, .producer_epoch = 0, .base_sequence = 7}}}),
        7);
    EXPECT_EQ(gap.responses[0].partition_responses[0].error_code,
              code(ErrorCode::OutOfOrderSequenceNumber));
}

TEST_F(ProduceHandlerTest, BatchOverTopicMaxMessageBytesIsTooLarge) {
    create_topic("small", 1, {{"max.message.bytes", "100"}});
    auto r = call<ProduceHandler>(
        produce_request("small", {{0, {.values = {std::string(200, 'x')}}}}), 8);
    EXPECT_EQ(r.responses[0].partition_responses[0].error_code, code(ErrorCode::MessageTooLarge));
    EXPECT_TRUE(r.responses[0].partition_responses[0].error_message.has_value());
}

TEST_F(ProduceHandlerTest, LogAppendTimeTopicAnswersWithTheAppendTimeAndCreateTimeWithMinusOne) {
    create_topic("stamped", 1, {{"message.timestamp.type", "LogAppendTime"}});
    create_topic("plain", 1);
    const int64_t before = storage::system_clock_ms();
    auto stamped = call<ProduceHandler>(produce_request("stamped", {{0, {.timestamp = 1000}}}), 8);
    const int64_t after = storage::system_clock_ms();
    const auto& s = stamped.responses[0].partition_responses[0];
    EXPECT_EQ(s.error_code, 0);
    EXPECT_GE(s.log_append_time_ms, before);
    EXPECT_LE(s.log_append_time_ms, after);
    auto plain = call<ProduceHandler>(produce_request("plain", {{0, {.timestamp = 1000}}}), 8);
    EXPECT_EQ(plain.responses[0].partition_responses[0].error_code, 0);
    EXPECT_EQ(plain.responses[0].partition_responses[0].log_append_time_ms, -1);
}

TEST_F(ProduceHandlerTest, BrokerDefaultLogAppendTimeAppliesToTopicsWithoutAnOverride) {
    config_.log_message_timestamp_type = "LogAppendTime";
    create_topic("orders", 1);
    auto r = call<ProduceHandler>(produce_request("orders", {{0, {.timestamp = 1000}}}), 8);
    EXPECT_EQ(r.responses[0].partition_responses[0].error_code, 0);
    EXPECT_GT(r.responses[0].partition_responses[0].log_append_time_ms, 1000);
}

TEST_F(ProduceHandlerTest, CorruptBatchIsCorruptMessage) {
    create_topic("orders", 1);
    auto req = produce_request("orders", {{0, {}}});
    req.topic_data[0].partition_data[0].records->back() ^= 1;
    auto r = call<ProduceHandler>(std::move(req), 7);
    EXPECT_EQ(r.responses[0].partition_responses[0].error_code, code(ErrorCode::CorruptMessage));
}

}  // namespace
}  // namespace broker::server::handlers
