#include "broker/partition/batch_validation.h"

#include <gtest/gtest.h>

#include "broker/partition/errc.h"
#include "tests/broker/partition/test_batches.h"

namespace broker::partition {
namespace {

using testing::BatchSpec;
using testing::make_batch;

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

}  // namespace
}  // namespace broker::partition
