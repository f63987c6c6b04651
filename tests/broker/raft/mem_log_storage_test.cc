#include "broker/raft/mem_log_storage.h"

#include <gtest/gtest.h>

#include "broker/raft/errc.h"

namespace broker::raft {
namespace {

Entry entry(Index index, int64_t term) {
    return Entry{Term(term), index, EntryType::Data, Bytes{static_cast<uint8_t>(index)}};
}

std::vector<Entry> entries(Index from, Index to, int64_t term) {
    std::vector<Entry> out;
    for (Index i = from; i <= to; ++i) {
        out.push_back(entry(i, term));
    }
    return out;
}

TEST(MemLogStorageTest, AppendReadAndTermAt) {
    MemLogStorage s;
    ASSERT_TRUE(s.append(entries(1, 5, 1)));
    EXPECT_EQ(s.last_index(), 5);
    EXPECT_EQ(s.term_at(0).value(), Term(0));
    EXPECT_EQ(s.term_at(3).value(), Term(1));
    EXPECT_EQ(s.term_at(6).error(), Errc::Unavailable);
    auto read = s.read(2, 4, 1 << 20);
    ASSERT_TRUE(read);
    EXPECT_EQ(read.value(), entries(2, 4, 1));
}

TEST(MemLogStorageTest, ReadStopsAtMaxBytesButReturnsOneEntry) {
    MemLogStorage s;
    ASSERT_TRUE(s.append(entries(1, 5, 1)));
    EXPECT_EQ(s.read(1, 5, 0).value().size(), 1u);
    EXPECT_EQ(s.read(1, 5, 2).value().size(), 2u);
}

TEST(MemLogStorageTest, AppendThatDoesNotContinueTheLogIsRefused) {
    MemLogStorage s;
    ASSERT_TRUE(s.append(entries(1, 2, 1)));
    EXPECT_FALSE(s.append(entries(4, 4, 1)));
    EXPECT_EQ(s.last_index(), 2);
}

TEST(MemLogStorageTest, TruncateSuffixThenAppendReplacesTheTail) {
    MemLogStorage s;
    ASSERT_TRUE(s.append(entries(1, 5, 1)));
    ASSERT_TRUE(s.truncate_suffix(3));
    ASSERT_TRUE(s.append(entries(3, 4, 2)));
    EXPECT_EQ(s.last_index(), 4);
    EXPECT_EQ(s.term_at(2).value(), Term(1));
    EXPECT_EQ(s.term_at(3).value(), Term(2));
}

TEST(MemLogStorageTest, SnapshotOverMatchingEntryKeepsTheSuffix) {
    MemLogStorage s;
    ASSERT_TRUE(s.append(entries(1, 5, 1)));
    ASSERT_TRUE(s.save_snapshot(SnapshotMeta{3, Term(1), {}}, Bytes{9}));
    EXPECT_EQ(s.first_index(), 4);
    EXPECT_EQ(s.last_index(), 5);
    EXPECT_EQ(s.term_at(3).value(), Term(1));
    EXPECT_EQ(s.term_at(2).error(), Errc::Compacted);
    EXPECT_EQ(s.read(3, 5, 100).error(), Errc::Compacted);
    EXPECT_EQ(s.read_snapshot().value(), Bytes{9});
}

TEST(MemLogStorageTest, SnapshotOverConflictingOrMissingEntryDropsTheLog) {
    MemLogStorage s;
    ASSERT_TRUE(s.append(entries(1, 5, 1)));
    ASSERT_TRUE(s.save_snapshot(SnapshotMeta{4, Term(2), {}}, {}));
    EXPECT_EQ(s.last_index(), 4);
    ASSERT_TRUE(s.save_snapshot(SnapshotMeta{10, Term(3), {}}, {}));
    EXPECT_EQ(s.last_index(), 10);
    EXPECT_EQ(s.term_at(10).value(), Term(3));
}

TEST(MemLogStorageTest, CrashLosesWhatNoCompletedFlushCovered) {
    MemLogStorage s;
    ASSERT_TRUE(s.append(entries(1, 2, 1)));
    ASSERT_TRUE(s.save_hard_state(HardState{Term(1), NodeId(1)}));
    s.flush(1);
    EXPECT_EQ(s.complete_next_flush(), 1u);
    ASSERT_TRUE(s.append(entries(3, 4, 1)));
    ASSERT_TRUE(s.save_hard_state(HardState{Term(2), NodeId(2)}));
    s.flush(2);
    s.crash();
    EXPECT_EQ(s.last_index(), 2);
    EXPECT_EQ(s.hard_state(), (HardState{Term(1), NodeId(1)}));
    EXPECT_EQ(s.pending_flush_count(), 0u);
}

TEST(MemLogStorageTest, CrashMayKeepAPendingFlushOrEverything) {
    MemLogStorage s;
    ASSERT_TRUE(s.append(entries(1, 2, 1)));
    s.flush(1);
    ASSERT_TRUE(s.append(entries(3, 4, 1)));
    MemLogStorage copy = s;
    s.crash(1);
    EXPECT_EQ(s.last_index(), 2);
    copy.crash(5);
    EXPECT_EQ(copy.last_index(), 4);
}

}  // namespace
}  // namespace broker::raft
