#include "broker/raft/disk_log_storage.h"

#include <map>
#include <random>

#include <gtest/gtest.h>

#include "broker/raft/disk_log_format.h"
#include "broker/raft/errc.h"
#include "broker/storage/fake_file_io.h"
#include "broker/storage/posix_file_io.h"

namespace broker::raft {
namespace {

using storage::FakeFileIo;

constexpr const char* kDir = "/data/raft/g1";

Entry entry(Index index, int64_t term, size_t payload_bytes = 16) {
    Entry e;
    e.index = index;
    e.term = Term(term);
    e.type = EntryType::Data;
    e.payload.resize(payload_bytes);
    for (size_t i = 0; i < payload_bytes; ++i) {
        e.payload[i] = static_cast<uint8_t>(index * 31 + term * 7 + static_cast<int64_t>(i));
    }
    return e;
}

std::vector<Entry> entries(Index from, Index to, int64_t term, size_t payload_bytes = 16) {
    std::vector<Entry> out;
    for (Index i = from; i <= to; ++i) out.push_back(entry(i, term, payload_bytes));
    return out;
}

std::string segment_path(Index first) {
    return storage::join_path(kDir, disk::segment_name(first));
}

class DiskLogStorageTest : public ::testing::Test {
  protected:
    std::unique_ptr<DiskLogStorage> open(DiskLogStorageOptions options = {}) {
        auto s = DiskLogStorage::open(
            io_, kDir, initial_, [this] { ++schedules_; }, options);
        EXPECT_TRUE(s) << s.error().message();
        return s ? std::move(s).value() : nullptr;
    }
    static void append(DiskLogStorage& s, std::vector<Entry> es) {
        auto r = s.append(es);
        ASSERT_TRUE(r) << r.error().message();
    }
    static void sync(DiskLogStorage& s) {
        auto r = s.sync_now();
        ASSERT_TRUE(r) << r.error().message();
    }
    static std::vector<Entry> all(const DiskLogStorage& s) {
        if (s.last_index() < s.first_index()) return {};
        auto r = s.read(s.first_index(), s.last_index(), SIZE_MAX);
        EXPECT_TRUE(r) << r.error().message();
        return r ? r.value() : std::vector<Entry>{};
    }

    FakeFileIo io_;
    Membership initial_ = Membership::of({NodeId(1), NodeId(2), NodeId(3)});
    int schedules_ = 0;
};

TEST_F(DiskLogStorageTest, FirstOpenStoresTheInitialMembershipAsSnapshotZero) {
    auto s = open();
    EXPECT_EQ(s->snapshot_meta(), (SnapshotMeta{0, Term(0), initial_}));
    EXPECT_EQ(s->last_index(), 0);
    EXPECT_EQ(s->first_index(), 1);
    EXPECT_EQ(s->term_at(0).value(), Term(0));
    EXPECT_EQ(s->term_at(1).error(), make_error_code(Errc::Unavailable));
    s.reset();
    initial_ = Membership::of({NodeId(7)});
    auto again = open();
    EXPECT_EQ(again->snapshot_meta().membership, Membership::of({NodeId(1), NodeId(2), NodeId(3)}));
}

TEST_F(DiskLogStorageTest, SyncedEntriesAndHardStateAreReadBackAfterReopen) {
    auto s = open();
    append(*s, entries(1, 5, 1));
    append(*s, entries(6, 9, 2));
    ASSERT_TRUE(s->save_hard_state(HardState{Term(2), NodeId(3)}));
    s->flush(1);
    sync(*s);
    s.reset();
    io_.crash();
    auto r = open();
    EXPECT_EQ(r->last_index(), 9);
    EXPECT_EQ(r->hard_state(), (HardState{Term(2), NodeId(3)}));
    auto expected = entries(1, 5, 1);
    auto more = entries(6, 9, 2);
    expected.insert(expected.end(), more.begin(), more.end());
    EXPECT_EQ(all(*r), expected);
    EXPECT_EQ(r->term_at(6).value(), Term(2));
}

TEST_F(DiskLogStorageTest, ManyFlushesBeforeOneSyncAreOneGroupCommit) {
    auto s = open();
    uint64_t syncs_before = io_.sync_count();
    for (Index i = 1; i <= 100; ++i) {
        append(*s, std::vector<Entry>{entry(i, 1)});
        s->flush(static_cast<uint64_t>(i));
    }
    EXPECT_EQ(schedules_, 1);
    auto seq = s->sync_now();
    ASSERT_TRUE(seq);
    EXPECT_EQ(seq.value(), std::optional<uint64_t>(100));
    EXPECT_EQ(io_.sync_count() - syncs_before, 1u);  // one fdatasync for a hundred appends
    EXPECT_EQ(s->sync_now().value(), std::nullopt);  // nothing asked since
    s->flush(101);
    EXPECT_EQ(schedules_, 2);
}

TEST_F(DiskLogStorageTest, WhatIsFlushedWhileASyncRunsGoesIntoTheNextSync) {
    auto s = open();
    append(*s, entries(1, 3, 1));
    ASSERT_TRUE(s->save_hard_state(HardState{Term(1), NodeId(1)}));
    s->flush(1);
    auto first = s->begin_sync();
    EXPECT_EQ(first.seq, std::optional<uint64_t>(1));
    EXPECT_EQ(first.hard_state, (std::optional<HardState>(HardState{Term(1), NodeId(1)})));
    // Meanwhile, on the owner's thread: more entries, a new vote, another flush.
    append(*s, entries(4, 5, 2));
    ASSERT_TRUE(s->save_hard_state(HardState{Term(2), NodeId(2)}));
    s->flush(2);
    EXPECT_EQ(schedules_, 2);  // asked again: the running sync does not cover flush 2
    EXPECT_EQ(s->end_sync(first, first.run()).value(), std::optional<uint64_t>(1));
    auto second = s->begin_sync();
    EXPECT_EQ(second.seq, std::optional<uint64_t>(2));
    EXPECT_EQ(second.hard_state, (std::optional<HardState>(HardState{Term(2), NodeId(2)})));
    EXPECT_EQ(s->end_sync(second, second.run()).value(), std::optional<uint64_t>(2));
    s.reset();
    io_.crash();
    auto r = open();
    EXPECT_EQ(r->last_index(), 5);
    EXPECT_EQ(r->hard_state(), (HardState{Term(2), NodeId(2)}));
}

TEST_F(DiskLogStorageTest, AFailedSyncStopsTheStorage) {
    auto s = open();
    append(*s, entries(1, 3, 1));
    s->flush(1);
    auto work = s->begin_sync();
    io_.set_fail_writes(true);
    EXPECT_FALSE(s->end_sync(work, work.run()));
    io_.set_fail_writes(false);
    EXPECT_EQ(s->append(entries(4, 4, 1)).error(), make_error_code(Errc::StorageFailed));
}

TEST_F(DiskLogStorageTest, NothingUnsyncedSurvivesACrashButEverythingSyncedDoes) {
    auto s = open();
    append(*s, entries(1, 3, 1));
    ASSERT_TRUE(s->save_hard_state(HardState{Term(1), NodeId(1)}));
    s->flush(1);
    sync(*s);
    append(*s, entries(4, 6, 1));
    ASSERT_TRUE(s->save_hard_state(HardState{Term(5), NodeId(2)}));
    s.reset();
    io_.crash();
    auto r = open();
    EXPECT_EQ(all(*r), entries(1, 3, 1));
    EXPECT_EQ(r->hard_state(), (HardState{Term(1), NodeId(1)}));
}

TEST_F(DiskLogStorageTest, AppendThatDoesNotContinueTheLogIsRefused) {
    auto s = open();
    append(*s, entries(1, 3, 1));
    EXPECT_EQ(s->append(entries(5, 6, 1)).error(), make_error_code(Errc::Unavailable));
    EXPECT_EQ(s->last_index(), 3);
}

TEST_F(DiskLogStorageTest, TruncatedSuffixIsReplacedAndTheTruncationIsDurable) {
    auto s = open();
    append(*s, entries(1, 6, 1));
    s->flush(1);
    sync(*s);
    ASSERT_TRUE(s->truncate_suffix(4));
    EXPECT_EQ(s->last_index(), 3);
    s.reset();
    io_.crash();
    auto r = open();
    EXPECT_EQ(all(*r), entries(1, 3, 1));
    append(*r, entries(4, 5, 2));
    sync(*r);
    r.reset();
    io_.crash();
    auto again = open();
    auto expected = entries(1, 3, 1);
    auto more = entries(4, 5, 2);
    expected.insert(expected.end(), more.begin(), more.end());
    EXPECT_EQ(all(*again), expected);
}

TEST_F(DiskLogStorageTest, SegmentsRollAndTruncationAcrossSegmentsRemovesWholeFiles) {
    DiskLogStorageOptions options;
    options.segment_bytes = 200;  // a few entries per segment
    auto s = open(options);
    append(*s, entries(1, 40, 1));
    sync(*s);
    auto names = io_.list_dir(kDir).value();
    size_t segments = std::count_if(names.begin(), names.end(), [](const std::string& n) {
        return disk::parse_segment_name(n).has_value();
    });
    EXPECT_GT(segments, 5u);
    ASSERT_TRUE(s->truncate_suffix(12));
    append(*s, entries(12, 20, 3));
    sync(*s);
    s.reset();
    io_.crash();
    auto r = open(options);
    auto expected = entries(1, 11, 1);
    auto more = entries(12, 20, 3);
    expected.insert(expected.end(), more.begin(), more.end());
    EXPECT_EQ(all(*r), expected);
}

TEST_F(DiskLogStorageTest, ReadStopsAtMaxBytesButReturnsAtLeastOneEntry) {
    auto s = open();
    append(*s, entries(1, 10, 1, 100));
    EXPECT_EQ(s->read(1, 10, 250).value().size(), 2u);
    EXPECT_EQ(s->read(3, 10, 1).value().size(), 1u);
    EXPECT_EQ(s->read(0, 3, 1000).error(), make_error_code(Errc::Compacted));
    EXPECT_EQ(s->read(5, 11, 1000).error(), make_error_code(Errc::Unavailable));
}

TEST_F(DiskLogStorageTest, SnapshotDropsCoveredEntriesAndSegmentsAndSurvivesACrash) {
    DiskLogStorageOptions options;
    options.segment_bytes = 200;
    auto s = open(options);
    append(*s, entries(1, 30, 1));
    append(*s, entries(31, 40, 2));
    sync(*s);
    SnapshotMeta meta{35, Term(2), Membership::of({NodeId(1), NodeId(2)})};
    ASSERT_TRUE(s->save_snapshot(meta, Bytes{1, 2, 3}));
    EXPECT_EQ(s->first_index(), 36);
    EXPECT_EQ(s->term_at(35).value(), Term(2));
    EXPECT_EQ(s->term_at(34).error(), make_error_code(Errc::Compacted));
    EXPECT_FALSE(io_.exists(segment_path(1)));
    s.reset();
    io_.crash();
    auto r = open(options);
    EXPECT_EQ(r->snapshot_meta(), meta);
    EXPECT_EQ(r->read_snapshot().value(), (Bytes{1, 2, 3}));
    EXPECT_EQ(all(*r), entries(36, 40, 2));
    append(*r, entries(41, 42, 2));
    EXPECT_EQ(r->last_index(), 42);
}

TEST_F(DiskLogStorageTest, SnapshotTheLogDoesNotHoldRestartsTheLogAfterIt) {
    auto s = open();
    append(*s, entries(1, 10, 1));
    sync(*s);
    SnapshotMeta meta{8, Term(4), initial_};  // the log has index 8 in term 1
    ASSERT_TRUE(s->save_snapshot(meta, Bytes{9}));
    EXPECT_EQ(s->last_index(), 8);
    append(*s, entries(9, 12, 4));
    sync(*s);
    s.reset();
    io_.crash();
    auto r = open();
    EXPECT_EQ(r->snapshot_meta(), meta);
    EXPECT_EQ(all(*r), entries(9, 12, 4));
}

TEST_F(DiskLogStorageTest, TornTailIsCutAtEveryPossibleTearNeverMisread) {
    for (size_t keep = 0; keep < 3 * disk::record_size(entry(1, 1)); keep += 3) {
        FakeFileIo io;
        auto s = DiskLogStorage::open(io, kDir, initial_, {}).value();
        ASSERT_TRUE(s->append(entries(1, 4, 1)));
        ASSERT_TRUE(s->sync_now());
        ASSERT_TRUE(s->append(entries(5, 7, 2)));
        s.reset();
        io.crash_tearing(segment_path(1), keep);
        auto r = DiskLogStorage::open(io, kDir, initial_, {}).value();
        size_t whole = keep / disk::record_size(entry(1, 1));
        EXPECT_EQ(r->last_index(), 4 + static_cast<Index>(whole)) << "keep " << keep;
        auto got = r->read(1, r->last_index(), SIZE_MAX).value();
        for (const auto& e : got) EXPECT_EQ(e, entry(e.index, e.index <= 4 ? 1 : 2));
        bool partial = keep % disk::record_size(entry(1, 1)) != 0;
        EXPECT_EQ(r->recovered_cut_bytes() > 0, partial) << "keep " << keep;
        // The cut is itself durable, and the log continues where it stopped.
        ASSERT_TRUE(r->append(std::vector<Entry>{entry(r->last_index() + 1, 3)}));
    }
}

TEST_F(DiskLogStorageTest, CorruptRecordCutsTheLogThereAndDropsLaterSegments) {
    DiskLogStorageOptions options;
    options.segment_bytes = 200;
    auto s = open(options);
    append(*s, entries(1, 30, 1));
    sync(*s);
    s.reset();
    // Corrupt the payload of entry 2 (second record of the first segment).
    io_.corrupt(segment_path(1), disk::record_size(entry(1, 1)) + 30);
    auto r = open(options);
    EXPECT_EQ(r->last_index(), 1);
    EXPECT_EQ(all(*r), entries(1, 1, 1));
    auto names = io_.list_dir(kDir).value();
    for (const auto& n : names) {
        auto first = disk::parse_segment_name(n);
        if (first) {
            EXPECT_EQ(*first, 1) << n;
        }
    }
}

TEST_F(DiskLogStorageTest, CorruptHardStateRefusesToOpenWithoutCrashing) {
    auto s = open();
    ASSERT_TRUE(s->save_hard_state(HardState{Term(3), NodeId(1)}));
    sync(*s);
    s.reset();
    io_.corrupt(storage::join_path(kDir, disk::kHardStateFile), 7);
    auto r = DiskLogStorage::open(io_, kDir, initial_, {});
    EXPECT_FALSE(r);
}

TEST_F(DiskLogStorageTest, WriteFailureStopsTheStorage) {
    auto s = open();
    append(*s, entries(1, 2, 1));
    io_.set_fail_writes(true);
    EXPECT_FALSE(s->append(entries(3, 3, 1)));
    io_.set_fail_writes(false);
    EXPECT_EQ(s->append(entries(3, 3, 1)).error(), make_error_code(Errc::StorageFailed));
    EXPECT_FALSE(s->sync_now());
}

TEST_F(DiskLogStorageTest, WorksOnARealDisk) {
    auto dir = ::testing::TempDir() + "raftio_disk_log_" + std::to_string(::getpid());
    storage::PosixFileIo posix;
    ASSERT_TRUE(posix.remove_all(dir));
    {
        auto s = DiskLogStorage::open(posix, dir, initial_, {}).value();
        ASSERT_TRUE(s->append(entries(1, 50, 1, 1000)));
        ASSERT_TRUE(s->save_hard_state(HardState{Term(1), NodeId(2)}));
        ASSERT_TRUE(s->sync_now());
        ASSERT_TRUE(s->truncate_suffix(40));
        ASSERT_TRUE(s->save_snapshot(SnapshotMeta{20, Term(1), initial_}, Bytes(5000, 7)));
    }
    auto r = DiskLogStorage::open(posix, dir, initial_, {}).value();
    EXPECT_EQ(r->hard_state(), (HardState{Term(1), NodeId(2)}));
    EXPECT_EQ(r->read(21, 39, SIZE_MAX).value(), entries(21, 39, 1, 1000));
    EXPECT_EQ(r->read_snapshot().value(), Bytes(5000, 7));
    ASSERT_TRUE(posix.remove_all(dir));
}

// Random mutations, syncs and crashes (some tearing the active segment): whatever was reported
// durable is never lost, and every entry read back is one that was appended at that index.
TEST_F(DiskLogStorageTest, RandomCrashesNeverLoseWhatWasReportedDurable) {
    for (uint32_t seed = 1; seed <= 60; ++seed) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        std::mt19937 rng(seed);
        FakeFileIo io;
        DiskLogStorageOptions options;
        options.segment_bytes = 300;
        auto s = DiskLogStorage::open(io, kDir, initial_, {}, options).value();
        std::vector<Entry> durable;  // the log as of the last sync (minus later truncations)
        HardState durable_hard;
        std::map<Index, std::vector<Entry>> ever;  // every entry appended at each index
        int64_t term = 1;
        for (int step = 0; step < 300; ++step) {
            int op = static_cast<int>(rng() % 20);
            if (op < 10) {
                Index next = s->last_index() + 1;
                size_t n = 1 + rng() % 4;
                std::vector<Entry> batch;
                for (size_t i = 0; i < n; ++i) {
                    batch.push_back(entry(next + static_cast<Index>(i), term, rng() % 40));
                    ever[batch.back().index].push_back(batch.back());
                }
                ASSERT_TRUE(s->append(batch));
            } else if (op < 13) {
                ASSERT_TRUE(s->sync_now());
                durable = s->last_index() >= s->first_index()
                              ? s->read(s->first_index(), s->last_index(), SIZE_MAX).value()
                              : std::vector<Entry>{};
                durable_hard = s->hard_state();
            } else if (op < 15 && s->last_index() >= s->first_index()) {
                Index from =
                    s->first_index() +
                    static_cast<Index>(
                        rng() % static_cast<uint32_t>(s->last_index() - s->first_index() + 1));
                ASSERT_TRUE(s->truncate_suffix(from));
                ++term;
                while (!durable.empty() && durable.back().index >= from) durable.pop_back();
            } else if (op < 16) {
                ++term;
                ASSERT_TRUE(s->save_hard_state(HardState{Term(term), NodeId(1)}));
            } else if (op < 17 && s->last_index() > s->first_index() + 3) {
                Index at = s->first_index() + 2;
                SnapshotMeta meta{at, s->term_at(at).value(), initial_};
                ASSERT_TRUE(s->save_snapshot(meta, Bytes{static_cast<uint8_t>(at)}));
                std::erase_if(durable, [at](const Entry& e) { return e.index <= at; });
            } else if (op >= 18) {
                Index last = s->last_index();
                s.reset();
                auto names = io.list_dir(kDir).value();
                std::string active;
                for (const auto& n : names) {
                    if (disk::parse_segment_name(n)) active = storage::join_path(kDir, n);
                }
                if (op == 19 && !active.empty()) {
                    io.crash_tearing(active, rng() % 200);
                } else {
                    io.crash();
                }
                auto reopened = DiskLogStorage::open(io, kDir, initial_, {}, options);
                ASSERT_TRUE(reopened) << reopened.error().message();
                s = std::move(reopened).value();
                ASSERT_LE(s->last_index(), std::max(last, s->snapshot_meta().index));
                auto got = s->last_index() >= s->first_index()
                               ? s->read(s->first_index(), s->last_index(), SIZE_MAX).value()
                               : std::vector<Entry>{};
                for (const auto& e : durable) {
                    if (e.index <= s->snapshot_meta().index) continue;
                    ASSERT_LE(e.index, s->last_index()) << "lost durable entry " << e.index;
                    ASSERT_EQ(got[static_cast<size_t>(e.index - s->first_index())], e);
                }
                for (const auto& e : got) {
                    const auto& candidates = ever[e.index];
                    ASSERT_NE(std::find(candidates.begin(), candidates.end(), e), candidates.end())
                        << "entry " << e.index << " was never appended";
                }
                ASSERT_GE(s->hard_state().term, durable_hard.term);
                durable = got;
                durable_hard = s->hard_state();
                term = std::max(term, s->hard_state().term.value()) + 1;
            }
        }
    }
}

}  // namespace
}  // namespace broker::raft
