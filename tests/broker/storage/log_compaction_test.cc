#include "broker/storage/log_compaction.h"

#include <gtest/gtest.h>

#include <map>

#include "broker/storage/fake_file_io.h"
#include "broker/storage/log.h"
#include "common/protocol/records/batch_splitter.h"
#include "common/protocol/records/record_batch_builder.h"
#include "common/protocol/records/record_iterator.h"

namespace broker::storage {
namespace {

namespace records = common::records;
using Bytes = std::vector<uint8_t>;

const std::string kDir = "/data/compacted-0";
constexpr int64_t kT0 = 1'700'000'000'000;
constexpr int64_t kDay = 24LL * 60 * 60 * 1000;

// One record to write: key, value (nullopt: a tombstone).
struct Kv {
    std::string key;
    std::optional<std::string> value;
};

Bytes batch_of(const std::vector<Kv>& kvs, int64_t timestamp,
               records::Codec codec = records::Codec::None) {
    records::BatchOptions options;
    options.codec = codec;
    records::RecordBatchBuilder builder(options);
    for (const auto& kv : kvs) builder.add(kv.key, kv.value, timestamp);
    return builder.build().value();
}

// What a reader sees: offset -> (key, value) of every record in the log.
using Contents = std::map<int64_t, std::pair<std::string, std::optional<std::string>>>;

class LogCompactionTest : public ::testing::Test {
  protected:
    LogCompactionTest() { reopen(); }

    static LogConfig compacted_config() {
        LogConfig c;
        c.segment_bytes = 100;  // every batch gets its own segment
        c.cleanup_delete = false;
        c.cleanup_compact = true;
        c.delete_retention_ms = kDay;
        c.min_cleanable_dirty_ratio = 0;
        return c;
    }

    void reopen(LogConfig config = compacted_config()) {
        log_.reset();
        auto opened = Log::open(io_, kDir, config, [this] { return now_; });
        ASSERT_TRUE(opened) << opened.error().message();
        log_ = std::move(opened).value();
    }

    int64_t append(const std::vector<Kv>& kvs, records::Codec codec = records::Codec::None) {
        auto batch = batch_of(kvs, now_, codec);
        auto info = log_->append(batch);
        EXPECT_TRUE(info) << info.error().message();
        return info ? info.value().base_offset : -1;
    }

    Bytes all_bytes() const {
        auto read = log_->read(log_->log_start_offset(), 1 << 30, INT64_MAX);
        EXPECT_TRUE(read);
        return read.value().copy_bytes().value();
    }

    Contents contents() const {
        Contents out;
        auto bytes = all_bytes();
        for (auto batch : records::split_batches(bytes).batches) {
            auto recs = records::read_all_records(batch, 1 << 20);
            EXPECT_TRUE(recs) << recs.error().message();
            for (const auto& r : recs.value()) {
                std::string key(r.key->begin(), r.key->end());
                std::optional<std::string> value;
                if (r.value) value.emplace(r.value->begin(), r.value->end());
                out[r.offset] = {key, value};
            }
        }
        return out;
    }

    std::vector<int64_t> segment_bases() {
        std::vector<int64_t> out;
        auto names = io_.list_dir(kDir).value();
        for (const auto& name : names) {
            if (name.size() == 24 && name.ends_with(".log")) out.push_back(std::stoll(name));
        }
        return out;
    }

    std::string path_of(int64_t base, const char* suffix) const {
        return join_path(kDir, Segment::file_name(base, suffix));
    }

    FakeFileIo io_;
    int64_t now_ = kT0;
    std::unique_ptr<Log> log_;
};

TEST_F(LogCompactionTest, KeepsTheNewestRecordPerKeyAtItsOriginalOffset) {
    append({{"a", "1"}});
    append({{"b", "1"}});
    append({{"a", "2"}});
    append({{"c", "1"}});
    append({{"a", "3"}});
    append({{"d", "active"}});  // the active segment is never compacted
    ASSERT_GE(log_->segment_count(), 6u);
    auto stats = log_->compact(now_);
    ASSERT_TRUE(stats) << stats.error().message();
    EXPECT_EQ(stats.value().records_removed, 2);
    Contents expected{{1, {"b", "1"}}, {3, {"c", "1"}}, {4, {"a", "3"}}, {5, {"d", "active"}}};
    EXPECT_EQ(contents(), expected);
    EXPECT_EQ(log_->log_end_offset(), 6);
    EXPECT_EQ(log_->log_start_offset(), 0);
    EXPECT_EQ(append({{"e", "1"}}), 6);  // appends continue after the end
}

TEST_F(LogCompactionTest, PartlyKeptBatchIsReencodedWithItsCodecOffsetsAndHeader) {
    append({{"a", "1"}, {"b", "1"}, {"a", "2"}, {"c", "1"}}, records::Codec::Gzip);
    append({{"c", "2"}});
    append({{"z", "active"}});
    ASSERT_TRUE(log_->compact(now_));
    auto bytes = all_bytes();
    auto batches = records::split_batches(bytes).batches;
    ASSERT_EQ(batches.size(), 3u);
    auto header = records::validate_batch(batches[0]);  // the CRC holds
    ASSERT_TRUE(header);
    EXPECT_EQ(header.value().base_offset, 0);
    EXPECT_EQ(header.value().last_offset_delta, 3);
    EXPECT_EQ(header.value().records_count, 2);
    EXPECT_EQ(header.value().compression(), records::Codec::Gzip);
    EXPECT_EQ(header.value().max_timestamp, kT0);
    Contents expected{{1, {"b", "1"}}, {2, {"a", "2"}}, {4, {"c", "2"}}, {5, {"z", "active"}}};
    EXPECT_EQ(contents(), expected);
}

TEST_F(LogCompactionTest, FullyKeptBatchesAreCopiedByteForByte) {
    append({{"a", "1"}});
    append({{"b", "1"}});
    append({{"z", "active"}});
    auto before = all_bytes();
    auto stats = log_->compact(now_);
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats.value().segments_rewritten, 0);
    EXPECT_EQ(all_bytes(), before);
}

TEST_F(LogCompactionTest, TombstonesAreKeptUntilDeleteRetentionThenDropped) {
    append({{"a", "1"}});
    append({{"a", std::nullopt}});
    append({{"b", "1"}});
    append({{"z", "active"}});
    ASSERT_TRUE(log_->compact(now_));
    Contents with_tombstone{{1, {"a", std::nullopt}}, {2, {"b", "1"}}, {3, {"z", "active"}}};
    EXPECT_EQ(contents(), with_tombstone);

    now_ = kT0 + kDay + 1;  // no new data: the tombstone's expiry alone makes a pass due
    ASSERT_TRUE(log_->compact(now_));
    Contents without{{2, {"b", "1"}}, {3, {"z", "active"}}};
    EXPECT_EQ(contents(), without);
}

TEST_F(LogCompactionTest, RetentionOfACompactOnlyLogCompactsAndDeletesNothingByTime) {
    append({{"a", "1"}});
    append({{"a", "2"}});
    append({{"z", "active"}});
    now_ = kT0 + 30 * kDay;  // far past retention.ms (7 days)
    auto deleted = log_->run_retention(now_);
    ASSERT_TRUE(deleted) << deleted.error().message();
    Contents expected{{1, {"a", "2"}}, {2, {"z", "active"}}};
    EXPECT_EQ(contents(), expected);
    // The first segment, emptied, stays: the log start offset does not move.
    ASSERT_TRUE(log_->run_retention(now_));
    EXPECT_EQ(log_->log_start_offset(), 0);
    EXPECT_EQ(contents(), expected);
}

TEST_F(LogCompactionTest, SegmentsYoungerThanMinCompactionLagAreLeftAlone) {
    auto config = compacted_config();
    config.min_compaction_lag_ms = 60'000;
    reopen(config);
    append({{"a", "1"}});
    append({{"a", "2"}});
    append({{"z", "active"}});
    ASSERT_TRUE(log_->compact(now_ + 1000));
    EXPECT_EQ(contents().size(), 3u);
    ASSERT_TRUE(log_->compact(now_ + 60'000));
    EXPECT_EQ(contents().size(), 2u);
}

TEST_F(LogCompactionTest, NoPassRunsUntilEnoughNewDataIsDirty) {
    auto config = compacted_config();
    config.min_cleanable_dirty_ratio = 0.5;
    reopen(config);
    for (int i = 0; i < 4; ++i) append({{"k" + std::to_string(i), "v"}});
    append({{"z", "active"}});
    ASSERT_TRUE(log_->compact(now_));  // first pass: everything is new
    append({{"k0", "w"}});             // two new closed segments of six: a third is dirty
    append({{"z", "active"}});
    auto skipped = log_->compact(now_);
    ASSERT_TRUE(skipped);
    EXPECT_EQ(skipped.value().records_removed, 0);
    EXPECT_EQ(contents().count(0), 1u);
    for (int i = 0; i < 4; ++i) append({{"k1", "x" + std::to_string(i)}});
    append({{"z", "active"}});
    auto ran = log_->compact(now_);
    ASSERT_TRUE(ran);
    EXPECT_GT(ran.value().records_removed, 0);
    EXPECT_EQ(contents().count(0), 0u);
}

TEST_F(LogCompactionTest, AReaderOfTheOldSegmentKeepsReadingItAfterTheSwap) {
    append({{"a", "1"}});
    append({{"a", "2"}});
    append({{"z", "active"}});
    auto before = log_->read(0, 1 << 20, INT64_MAX).value();
    ASSERT_TRUE(log_->compact(now_));
    auto bytes = before.copy_bytes();
    ASSERT_TRUE(bytes);
    auto first = records::read_all_records(records::split_batches(bytes.value()).batches[0], 1024);
    ASSERT_TRUE(first);
    EXPECT_EQ(first.value()[0].offset, 0);  // the pre-compaction record, still readable
}

TEST_F(LogCompactionTest, CompactedLogSurvivesARestart) {
    append({{"a", "1"}});
    append({{"b", "1"}});
    append({{"a", "2"}});
    append({{"z", "active"}});
    ASSERT_TRUE(log_->compact(now_));
    ASSERT_TRUE(log_->close());
    io_.crash();
    reopen();
    Contents expected{{1, {"b", "1"}}, {2, {"a", "2"}}, {3, {"z", "active"}}};
    EXPECT_EQ(contents(), expected);
    EXPECT_EQ(append({{"c", "1"}}), 4);
}

// Crash points: the steps Log::compact() runs, stopped after each one, then a power loss.
class CompactionCrashTest : public LogCompactionTest {
  protected:
    // Two closed segments where the first holds a superseded record; returns the first's base.
    int64_t prepare() {
        append({{"a", "1"}, {"b", "1"}});
        append({{"a", "2"}});
        append({{"z", "active"}});
        EXPECT_TRUE(log_->flush());
        EXPECT_TRUE(log_->checkpoint());
        for (int64_t base : segment_bases()) {
            EXPECT_TRUE(add_segment_keys(io_, path_of(base, ".log"), keys_));
        }
        return segment_bases().front();
    }

    KeyOffsetMap keys_;
    const Contents old_{{0, {"a", "1"}}, {1, {"b", "1"}}, {2, {"a", "2"}}, {3, {"z", "active"}}};
    const Contents compacted_{{1, {"b", "1"}}, {2, {"a", "2"}}, {3, {"z", "active"}}};
};

TEST_F(CompactionCrashTest, CrashAfterWritingTheCleanedFileKeepsTheOldSegment) {
    int64_t base = prepare();
    auto cleaned = write_cleaned_segment(io_, kDir, path_of(base, ".log"), base, keys_, {now_, 0});
    ASSERT_TRUE(cleaned);
    ASSERT_TRUE(cleaned.value().written);
    io_.crash();
    reopen();
    EXPECT_EQ(contents(), old_);
    EXPECT_FALSE(io_.exists(path_of(base, ".log.cleaned")));
}

TEST_F(CompactionCrashTest, CrashWhileTheCleanedFileIsBeingWrittenKeepsTheOldSegment) {
    int64_t base = prepare();
    io_.set_fail_writes(true);  // the disk fails midway: nothing is committed
    EXPECT_FALSE(write_cleaned_segment(io_, kDir, path_of(base, ".log"), base, keys_, {now_, 0}));
    io_.set_fail_writes(false);
    io_.crash();
    reopen();
    EXPECT_EQ(contents(), old_);
}

TEST_F(CompactionCrashTest, CrashAfterTheCommitPointIsCompletedAtOpen) {
    int64_t base = prepare();
    ASSERT_TRUE(write_cleaned_segment(io_, kDir, path_of(base, ".log"), base, keys_, {now_, 0}));
    ASSERT_TRUE(commit_cleaned_segment(io_, kDir, base));
    io_.crash();
    reopen();
    EXPECT_EQ(contents(), compacted_);
    EXPECT_FALSE(io_.exists(path_of(base, ".log.swap")));
}

TEST_F(CompactionCrashTest, CrashAfterTheOldSegmentWasRemovedIsCompletedAtOpen) {
    int64_t base = prepare();
    ASSERT_TRUE(write_cleaned_segment(io_, kDir, path_of(base, ".log"), base, keys_, {now_, 0}));
    ASSERT_TRUE(commit_cleaned_segment(io_, kDir, base));
    ASSERT_TRUE(io_.remove_file(path_of(base, ".log")));  // install's first step, then the crash
    io_.crash();
    reopen();
    EXPECT_EQ(contents(), compacted_);
    EXPECT_EQ(append({{"n", "1"}}), 4);
}

}  // namespace
}  // namespace broker::storage
