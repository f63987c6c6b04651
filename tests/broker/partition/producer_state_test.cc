#include "broker/partition/producer_state.h"

#include <gtest/gtest.h>

#include <limits>

#include "broker/partition/errc.h"

namespace broker::partition {
namespace {

ProducerBatch batch(int64_t pid, int16_t epoch, int32_t seq, int32_t count = 1) {
    return ProducerBatch{.producer_id = pid,
                         .producer_epoch = epoch,
                         .base_sequence = seq,
                         .last_offset_delta = count - 1,
                         .max_timestamp = 1};
}

TEST(ProducerStateTable, NewProducerStartingAtZeroIsAccepted) {
    ProducerStateTable t;
    auto v = t.check(batch(7, 0, 0));
    ASSERT_TRUE(v);
    EXPECT_FALSE(v.value().duplicate);
}

TEST(ProducerStateTable, UnknownProducerWithNonZeroSequenceIsUnknownProducerId) {
    ProducerStateTable t;
    auto v = t.check(batch(7, 0, 5));
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error(), Errc::UnknownProducerId);
}

TEST(ProducerStateTable, RetriedBatchIsAnsweredWithItsOriginalOffsets) {
    ProducerStateTable t;
    t.record(batch(7, 0, 0, 3), 100);
    t.record(batch(7, 0, 3, 2), 103);
    auto v = t.check(batch(7, 0, 0, 3));
    ASSERT_TRUE(v);
    ASSERT_TRUE(v.value().duplicate);
    EXPECT_EQ(v.value().duplicate->first_offset, 100);
    EXPECT_EQ(v.value().duplicate->last_offset, 102);
}

TEST(ProducerStateTable, OnlyTheLastFiveBatchesAreRememberedAsDuplicates) {
    ProducerStateTable t;
    for (int i = 0; i < 6; ++i) t.record(batch(7, 0, i), 10 + i);
    auto oldest = t.check(batch(7, 0, 0));
    ASSERT_FALSE(oldest);
    EXPECT_EQ(oldest.error(), Errc::OutOfOrderSequence);
    auto recent = t.check(batch(7, 0, 1));
    ASSERT_TRUE(recent);
    ASSERT_TRUE(recent.value().duplicate);
    EXPECT_EQ(recent.value().duplicate->first_offset, 11);
}

TEST(ProducerStateTable, SequenceGapIsOutOfOrder) {
    ProducerStateTable t;
    t.record(batch(7, 0, 0, 2), 0);
    auto v = t.check(batch(7, 0, 3));
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error(), Errc::OutOfOrderSequence);
    EXPECT_TRUE(t.check(batch(7, 0, 2)));
}

TEST(ProducerStateTable, StaleEpochIsRejected) {
    ProducerStateTable t;
    t.record(batch(7, 3, 0), 0);
    auto v = t.check(batch(7, 2, 1));
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error(), Errc::InvalidProducerEpoch);
}

TEST(ProducerStateTable, NewEpochMustStartAtSequenceZero) {
    ProducerStateTable t;
    t.record(batch(7, 0, 0), 0);
    t.record(batch(7, 0, 1), 1);
    auto bad = t.check(batch(7, 1, 2));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error(), Errc::OutOfOrderSequence);
    EXPECT_TRUE(t.check(batch(7, 1, 0)));
    t.record(batch(7, 1, 0), 2);
    // The old epoch is now fenced.
    auto stale = t.check(batch(7, 0, 2));
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error(), Errc::InvalidProducerEpoch);
}

TEST(ProducerStateTable, SequenceWrapsFromMaxToZero) {
    ProducerStateTable t;
    const int32_t max = std::numeric_limits<int32_t>::max();
    t.record(batch(7, 0, max - 1, 2), 0);
    EXPECT_EQ(t.producers().at(7).batches.back().last_sequence, max);
    EXPECT_TRUE(t.check(batch(7, 0, 0)));
    EXPECT_EQ(batch(7, 0, max, 3).last_sequence(), 1);
}

TEST(ProducerStateTable, ProducersAreIndependent) {
    ProducerStateTable t;
    t.record(batch(1, 0, 0), 0);
    EXPECT_TRUE(t.check(batch(2, 0, 0)));
    EXPECT_TRUE(t.check(batch(1, 0, 1)));
}

}  // namespace
}  // namespace broker::partition
