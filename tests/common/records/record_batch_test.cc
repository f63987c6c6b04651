#include "common/protocol/records/record_batch.h"

#include <gtest/gtest.h>

#include "common/errc.h"
#include "common/protocol/records/crc32c.h"
#include "tests/common/records/test_batches.h"

namespace common::records {
namespace {

using testing::hand_batch;

TEST(RecordBatch, ParsesEveryHeaderFieldOfAHandWrittenBatch) {
    auto bytes = hand_batch();
    auto h = parse_batch_header(bytes);
    ASSERT_TRUE(h) << h.error().message();
    EXPECT_EQ(h.value().base_offset, 5);
    EXPECT_EQ(h.value().batch_length, 58);
    EXPECT_EQ(h.value().partition_leader_epoch, 7);
    EXPECT_EQ(h.value().magic, 2);
    EXPECT_EQ(h.value().crc, 0xA9F1FBF5u);
    EXPECT_EQ(h.value().attributes, 0);
    EXPECT_EQ(h.value().last_offset_delta, 0);
    EXPECT_EQ(h.value().base_timestamp, 1700000000000);
    EXPECT_EQ(h.value().max_timestamp, 1700000000000);
    EXPECT_EQ(h.value().producer_id, 42);
    EXPECT_EQ(h.value().producer_epoch, 3);
    EXPECT_EQ(h.value().base_sequence, 9);
    EXPECT_EQ(h.value().records_count, 1);
    EXPECT_EQ(h.value().size_bytes(), bytes.size());
    EXPECT_EQ(h.value().last_offset(), 5);
    EXPECT_EQ(h.value().last_sequence(), 9);
    EXPECT_EQ(h.value().compression(), Codec::None);
    EXPECT_EQ(h.value().timestamp_type(), TimestampType::CreateTime);
    EXPECT_FALSE(h.value().is_transactional());
    EXPECT_FALSE(h.value().is_control());
}

TEST(RecordBatch, HandWrittenBatchValidates) {
    auto bytes = hand_batch();
    auto h = validate_batch(bytes);
    ASSERT_TRUE(h) << h.error().message();
    EXPECT_EQ(compute_batch_crc(bytes), 0xA9F1FBF5u);
}

// Sets attributes and refreshes the CRC so only the attribute change is under test.
std::vector<uint8_t> with_attributes(int16_t attributes) {
    auto bytes = hand_batch();
    bytes[kAttributesPos] = static_cast<uint8_t>(attributes >> 8);
    bytes[kAttributesPos + 1] = static_cast<uint8_t>(attributes & 0xFF);
    EXPECT_TRUE(update_batch_crc(bytes));
    return bytes;
}

TEST(RecordBatch, AttributeAccessorsReadEachBit) {
    auto h = parse_batch_header(with_attributes(0x0004 | 0x0008 | 0x0010 | 0x0020)).value();
    EXPECT_EQ(h.compression(), Codec::Zstd);
    EXPECT_EQ(h.timestamp_type(), TimestampType::LogAppendTime);
    EXPECT_TRUE(h.is_transactional());
    EXPECT_TRUE(h.is_control());
    EXPECT_FALSE(h.has_delete_horizon());
}

TEST(RecordBatch, FlippedPayloadBitIsACrcMismatch) {
    auto bytes = hand_batch();
    bytes.back() ^= 0x01;
    EXPECT_EQ(validate_batch(bytes).error(), Errc::CorruptData);
}

TEST(RecordBatch, FlippedCrcCoveredHeaderFieldIsACrcMismatch) {
    auto bytes = hand_batch();
    bytes[kProducerIdPos + 7] ^= 0x80;
    EXPECT_EQ(validate_batch(bytes).error(), Errc::CorruptData);
}

TEST(RecordBatch, WrongMagicIsUnsupported) {
    auto bytes = hand_batch();
    bytes[kMagicPos] = 1;
    EXPECT_EQ(parse_batch_header(bytes).error(), Errc::Unsupported);
    EXPECT_EQ(validate_batch(bytes).error(), Errc::Unsupported);
}

TEST(RecordBatch, ShortInputIsTruncated) {
    auto bytes = hand_batch();
    EXPECT_EQ(parse_batch_header(std::span(bytes).first(10)).error(), Errc::Truncated);
    EXPECT_EQ(parse_batch_header(std::span(bytes).first(60)).error(), Errc::Truncated);
    EXPECT_EQ(validate_batch(std::span(bytes).first(bytes.size() - 1)).error(), Errc::Truncated);
}

TEST(RecordBatch, TrailingBytesAfterTheDeclaredLengthAreMalformed) {
    auto bytes = hand_batch();
    bytes.push_back(0);
    EXPECT_EQ(validate_batch(bytes).error(), Errc::Malformed);
}

TEST(RecordBatch, LengthSmallerThanAHeaderIsMalformed) {
    auto bytes = hand_batch();
    bytes[kBatchLengthPos + 3] = 48;
    EXPECT_EQ(parse_batch_header(bytes).error(), Errc::Malformed);
}

TEST(RecordBatch, UnknownCodecIsUnsupported) {
    EXPECT_EQ(validate_batch(with_attributes(0x0005)).error(), Errc::Unsupported);
}

TEST(RecordBatch, RecordCountBeyondOffsetDeltaIsMalformed) {
    auto bytes = hand_batch();
    bytes[kRecordsCountPos + 3] = 2;  // two records, but last_offset_delta 0
    EXPECT_TRUE(update_batch_crc(bytes));
    EXPECT_EQ(validate_batch(bytes).error(), Errc::Malformed);
}

TEST(RecordBatch, SettingBaseOffsetAndLeaderEpochKeepsTheBatchValid) {
    auto bytes = hand_batch();
    ASSERT_TRUE(set_base_offset(bytes, 0x0102030405060708));
    ASSERT_TRUE(set_partition_leader_epoch(bytes, 99));
    auto h = validate_batch(bytes);
    ASSERT_TRUE(h) << h.error().message();
    EXPECT_EQ(h.value().base_offset, 0x0102030405060708);
    EXPECT_EQ(h.value().partition_leader_epoch, 99);
    EXPECT_EQ(h.value().last_offset(), 0x0102030405060708);
}

TEST(RecordBatch, LogAppendTimeStampKeepsTheBatchValid) {
    auto bytes = hand_batch();
    ASSERT_TRUE(set_log_append_time(bytes, 1800000000000));
    auto h = validate_batch(bytes);
    ASSERT_TRUE(h) << h.error().message();
    EXPECT_EQ(h.value().timestamp_type(), TimestampType::LogAppendTime);
    EXPECT_EQ(h.value().max_timestamp, 1800000000000);
    EXPECT_EQ(h.value().base_timestamp, 1700000000000);
}

TEST(RecordBatch, SettersRefuseASpanShorterThanAHeader) {
    std::vector<uint8_t> small(20);
    EXPECT_EQ(set_log_append_time(small, 1).error(), Errc::Truncated);
    EXPECT_EQ(update_batch_crc(small).error(), Errc::Truncated);
    EXPECT_EQ(set_base_offset(small, 1).error(), Errc::Truncated);
    EXPECT_EQ(set_partition_leader_epoch(small, 1).error(), Errc::Truncated);
}

TEST(RecordBatch, LastSequenceWrapsAtInt32Max) {
    RecordBatchHeader h;
    h.base_sequence = 2147483646;
    h.last_offset_delta = 3;
    EXPECT_EQ(h.last_sequence(), 1);
    h.base_sequence = -1;
    EXPECT_EQ(h.last_sequence(), -1);
}

}  // namespace
}  // namespace common::records
