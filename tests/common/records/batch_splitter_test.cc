#include "common/protocol/records/batch_splitter.h"

#include <gtest/gtest.h>

#include "common/errc.h"
#include "common/protocol/records/record_batch.h"
#include "tests/common/records/test_batches.h"

namespace common::records {
namespace {

using testing::hand_batch;

std::vector<uint8_t> three_batches() {
    std::vector<uint8_t> buf;
    for (int i = 0; i < 3; ++i) {
        auto b = hand_batch();
        EXPECT_TRUE(set_base_offset(b, 10 * i));
        buf.insert(buf.end(), b.begin(), b.end());
    }
    return buf;
}

TEST(BatchSplitter, YieldsEachConcatenatedBatch) {
    auto buf = three_batches();
    BatchSplitter splitter(buf);
    for (int i = 0; i < 3; ++i) {
        auto next = splitter.next();
        ASSERT_TRUE(next);
        ASSERT_TRUE(next.value().has_value());
        auto h = validate_batch(*next.value());
        ASSERT_TRUE(h);
        EXPECT_EQ(h.value().base_offset, 10 * i);
    }
    auto end = splitter.next();
    ASSERT_TRUE(end);
    EXPECT_FALSE(end.value().has_value());
    EXPECT_EQ(splitter.position(), buf.size());
}

TEST(BatchSplitter, EmptyBufferHasNoBatches) {
    auto split = split_batches({});
    EXPECT_TRUE(split.batches.empty());
    EXPECT_FALSE(split.tail);
}

TEST(BatchSplitter, TornTailAtEveryCutIsDetected) {
    auto buf = three_batches();
    const size_t one = hand_batch().size();
    for (size_t cut = 2 * one + 1; cut < buf.size(); ++cut) {
        auto split = split_batches(std::span(buf).first(cut));
        EXPECT_EQ(split.batches.size(), 2u) << cut;
        EXPECT_EQ(split.valid_bytes, 2 * one) << cut;
        EXPECT_EQ(split.tail, Errc::Truncated) << cut;
    }
    auto whole = split_batches(buf);
    EXPECT_EQ(whole.batches.size(), 3u);
    EXPECT_FALSE(whole.tail);
}

TEST(BatchSplitter, ImpossibleLengthFieldIsMalformedAndSticks) {
    auto buf = three_batches();
    const size_t one = hand_batch().size();
    buf[one + kBatchLengthPos] = 0xFF;  // negative length in the second batch
    BatchSplitter splitter(buf);
    ASSERT_TRUE(splitter.next());
    EXPECT_EQ(splitter.next().error(), Errc::Malformed);
    EXPECT_EQ(splitter.next().error(), Errc::Malformed);
    EXPECT_EQ(splitter.position(), one);
}

TEST(BatchSplitter, ZeroFilledPreallocatedTailIsMalformed) {
    auto buf = three_batches();
    buf.resize(buf.size() + 64, 0);
    auto split = split_batches(buf);
    EXPECT_EQ(split.batches.size(), 3u);
    EXPECT_EQ(split.tail, Errc::Malformed);
}

}  // namespace
}  // namespace common::records
