#include "broker/partition/batch_validation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "broker/partition/errc.h"
#include "common/protocol/records/record_batch_builder.h"
#include "common/protocol/records/record_iterator.h"
#include "tests/broker/partition/test_batches.h"

namespace broker::partition {
namespace {

using common::records::TimestampType;
using testing::BatchSpec;
using testing::make_batch;

namespace rec = common::records;

constexpr int64_t kAppendTime = 1700000000123;

PartitionSettings log_append_time() {
    return PartitionSettings{.timestamp_type = TimestampType::LogAppendTime};
}

// The bytes after the header: the records, compressed or not.
std::vector<uint8_t> records_of(const std::vector<uint8_t>& batch) {
    return {batch.begin() + rec::kBatchHeaderSize, batch.end()};
}

// Bytes [from, to) of a batch.
std::vector<uint8_t> slice(const std::vector<uint8_t>& batch, size_t from, size_t to) {
    return {batch.begin() + static_cast<std::ptrdiff_t>(from),
            batch.begin() + static_cast<std::ptrdiff_t>(to)};
}

TEST(ValidateProduceBatch, ValidBatchReturnsItsHeader) {
    auto b = make_batch(
        {.producer_id = 5, .producer_epoch = 1, .base_sequence = 4, .values = {"a", "b", "c"}});
    auto h = validate_produce_batch(b, 1 << 20);
    ASSERT_TRUE(h);
    EXPECT_EQ(h.value().producer_id, 5);
    EXPECT_EQ(h.value().records_count, 3);
    EXPECT_EQ(h.value().last_sequence(), 6);
}

TEST(ValidateProduceBatch, CrcMismatchIsCorruptMessage) {
    auto b = make_batch({});
    b.back() ^= 1;
    auto h = validate_produce_batch(b, 1 << 20);
    ASSERT_FALSE(h);
    EXPECT_EQ(h.error(), Errc::CorruptMessage);
}

TEST(ValidateProduceBatch, OldMagicIsUnsupportedFormat) {
    auto b = make_batch({});
    b[common::records::kMagicPos] = 1;
    auto h = validate_produce_batch(b, 1 << 20);
    ASSERT_FALSE(h);
    EXPECT_EQ(h.error(), Errc::UnsupportedMessageFormat);
}

TEST(ValidateProduceBatch, BatchOverMaxMessageBytesIsTooLarge) {
    auto b = make_batch({.values = {std::string(500, 'x')}});
    auto h = validate_produce_batch(b, 200);
    ASSERT_FALSE(h);
    EXPECT_EQ(h.error(), Errc::MessageTooLarge);
}

TEST(ValidateProduceBatch, TornBatchIsCorruptMessage) {
    auto b = make_batch({});
    b.pop_back();
    EXPECT_EQ(validate_produce_batch(b, 1 << 20).error(), Errc::CorruptMessage);
    EXPECT_EQ(validate_produce_batch({}, 1 << 20).error(), Errc::CorruptMessage);
}

TEST(ValidateProduceBatch, TwoBatchesAreRefused) {
    auto b = make_batch({});
    auto second = make_batch({});
    b.insert(b.end(), second.begin(), second.end());
    EXPECT_EQ(validate_produce_batch(b, 1 << 20).error(), Errc::InvalidRecord);
}

TEST(ValidateProduceBatch, ControlAndTransactionalBatchesAreRefused) {
    auto control = make_batch({.attributes = common::records::kControlBit});
    EXPECT_EQ(validate_produce_batch(control, 1 << 20).error(), Errc::InvalidRecord);
    auto txn = make_batch({.producer_id = 1,
                           .producer_epoch = 0,
                           .base_sequence = 0,
                           .attributes = common::records::kTransactionalBit});
    EXPECT_EQ(validate_produce_batch(txn, 1 << 20).error(), Errc::TransactionsUnsupported);
}

TEST(AcceptProduceBatch, LogAppendTimeStampsTheHeaderAndLeavesTheRecords) {
    const auto sent = make_batch({.timestamp = 1000, .values = {"a", "b", "c"}});
    auto b = sent;
    auto accepted = accept_produce_batch(b, log_append_time(), kAppendTime);
    ASSERT_TRUE(accepted);
    EXPECT_EQ(accepted.value().log_append_time, kAppendTime);

    auto stored = rec::validate_batch(b);  // the CRC covers the new attributes and timestamp
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored.value().timestamp_type(), TimestampType::LogAppendTime);
    EXPECT_EQ(stored.value().attributes, rec::kTimestampTypeBit);
    EXPECT_EQ(stored.value().max_timestamp, kAppendTime);
    EXPECT_EQ(stored.value().base_timestamp, 1000);  // as Kafka keeps it for an in-place stamp
    EXPECT_NE(stored.value().crc, rec::parse_batch_header(sent).value().crc);
    EXPECT_EQ(accepted.value().header.crc, stored.value().crc);
    EXPECT_EQ(accepted.value().header.max_timestamp, kAppendTime);
    EXPECT_EQ(accepted.value().header.timestamp_type(), TimestampType::LogAppendTime);

    // Only the attributes, max_timestamp and CRC changed.
    EXPECT_EQ(slice(b, 0, rec::kCrcPos), slice(sent, 0, rec::kCrcPos));
    EXPECT_EQ(slice(b, rec::kLastOffsetDeltaPos, rec::kMaxTimestampPos),
              slice(sent, rec::kLastOffsetDeltaPos, rec::kMaxTimestampPos));
    EXPECT_EQ(slice(b, rec::kProducerIdPos, b.size()), slice(sent, rec::kProducerIdPos, b.size()));

    // Readers take every record's timestamp from max_timestamp.
    auto read = rec::read_all_records(b, 1 << 20);
    ASSERT_TRUE(read);
    ASSERT_EQ(read.value().size(), 3u);
    for (const auto& r : read.value()) EXPECT_EQ(r.timestamp, kAppendTime);
    EXPECT_EQ(read.value()[2].value, std::vector<uint8_t>{'c'});
}

TEST(AcceptProduceBatch, CompressedBatchIsStampedWithoutReencodingItsRecords) {
    rec::BatchOptions options;
    options.codec = rec::Codec::Gzip;
    rec::RecordBatchBuilder builder(options);
    builder.add(std::string("k1"), std::string(200, 'x'), 1000);
    builder.add(std::string("k2"), std::string(200, 'y'), 1005);
    const auto sent = builder.build().value();
    auto b = sent;
    auto accepted = accept_produce_batch(b, log_append_time(), kAppendTime);
    ASSERT_TRUE(accepted);
    auto stored = rec::validate_batch(b);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored.value().compression(), rec::Codec::Gzip);
    EXPECT_EQ(stored.value().timestamp_type(), TimestampType::LogAppendTime);
    EXPECT_EQ(stored.value().max_timestamp, kAppendTime);
    EXPECT_EQ(records_of(b), records_of(sent));
    auto read = rec::read_all_records(b, 1 << 20);
    ASSERT_TRUE(read);
    ASSERT_EQ(read.value().size(), 2u);
    EXPECT_EQ(read.value()[0].timestamp, kAppendTime);
    EXPECT_EQ(read.value()[1].timestamp, kAppendTime);
    EXPECT_EQ(read.value()[1].value, std::vector<uint8_t>(200, 'y'));
}

TEST(AcceptProduceBatch, CreateTimeLeavesTheBatchByteIdentical) {
    const auto sent = make_batch({.timestamp = 1000, .values = {"a", "b"}});
    auto b = sent;
    auto accepted = accept_produce_batch(b, PartitionSettings{}, kAppendTime);
    ASSERT_TRUE(accepted);
    EXPECT_EQ(b, sent);
    EXPECT_EQ(accepted.value().log_append_time, -1);
    EXPECT_EQ(accepted.value().header.max_timestamp, 1000);
    EXPECT_EQ(accepted.value().header.timestamp_type(), TimestampType::CreateTime);
}

TEST(AcceptProduceBatch, RefusedBatchIsNotStamped) {
    auto corrupt = make_batch({});
    corrupt.back() ^= 1;
    const auto sent = corrupt;
    EXPECT_EQ(accept_produce_batch(corrupt, log_append_time(), kAppendTime).error(),
              Errc::CorruptMessage);
    EXPECT_EQ(corrupt, sent);
    auto large = make_batch({.values = {std::string(500, 'x')}});
    auto settings = log_append_time();
    settings.max_message_bytes = 200;
    EXPECT_EQ(accept_produce_batch(large, settings, kAppendTime).error(), Errc::MessageTooLarge);
}

TEST(DuplicateResult, CarriesTheStoredAppendTimeOnlyUnderLogAppendTime) {
    const CachedBatch original{.first_offset = 7, .last_offset = 9, .max_timestamp = kAppendTime};
    auto under_append_time = duplicate_result(original, log_append_time(), 3);
    EXPECT_TRUE(under_append_time.duplicate);
    EXPECT_EQ(under_append_time.base_offset, 7);
    EXPECT_EQ(under_append_time.log_start_offset, 3);
    EXPECT_EQ(under_append_time.log_append_time, kAppendTime);
    EXPECT_EQ(duplicate_result(original, PartitionSettings{}, 3).log_append_time, -1);
}

}  // namespace
}  // namespace broker::partition
