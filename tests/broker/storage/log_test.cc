#include "broker/storage/log.h"

#include <gtest/gtest.h>

#include "broker/storage/errc.h"
#include "broker/storage/posix_file_io.h"
#include "common/errc.h"
#include "common/protocol/records/batch_splitter.h"
#include "common/protocol/records/record_batch.h"
#include "tests/broker/storage/storage_test_util.h"

namespace broker::storage {
namespace {

using testing::make_batch;
namespace records = common::records;

// Real files in a temporary directory, with a clock the test moves by hand.
class LogTest : public ::testing::Test {
  protected:
    std::unique_ptr<Log> open_log(LogConfig config = {}) {
        auto log = Log::open(io_, dir_.path() + "/topic-0", config, [this] { return now_; });
        EXPECT_TRUE(log) << log.error().message();
        return log ? std::move(log).value() : nullptr;
    }

    // Appends `count` batches of `records` records each; timestamps start at `ts`.
    void append_batches(Log& log, int count, int records, int64_t ts, size_t value_size = 10) {
        for (int i = 0; i < count; ++i) {
            auto batch = make_batch(records, ts + i, value_size);
            ASSERT_TRUE(log.append(batch));
        }
    }

    // The headers of the batches a read returned.
    static std::vector<records::RecordBatchHeader> headers_of(const ReadResult& read) {
        auto bytes = read.copy_bytes();
        EXPECT_TRUE(bytes);
        std::vector<records::RecordBatchHeader> out;
        auto split = records::split_batches(bytes.value());
        EXPECT_FALSE(split.tail);
        for (auto batch : split.batches) {
            auto header = records::validate_batch(batch);
            EXPECT_TRUE(header);
            out.push_back(header.value());
        }
        return out;
    }

    testing::TempDir dir_;
    PosixFileIo io_;
    int64_t now_ = 1'000'000;
};

TEST_F(LogTest, AppendAssignsConsecutiveOffsetsAcrossSegmentRolls) {
    LogConfig config;
    config.segment_bytes = 1024;
    auto log = open_log(config);
    for (int i = 0; i < 30; ++i) {
        auto batch = make_batch(3, 1000 + i, 50);
        auto info = log->append(batch);
        ASSERT_TRUE(info);
        EXPECT_EQ(info.value().base_offset, 3 * i);
        EXPECT_EQ(info.value().last_offset, 3 * i + 2);
    }
    EXPECT_GT(log->segment_count(), 3u);
    EXPECT_EQ(log->log_end_offset(), 90);

    auto read = log->read(0, 1 << 20, log->log_end_offset());
    ASSERT_TRUE(read);
    auto headers = headers_of(read.value());
    ASSERT_EQ(headers.size(), 30u);
    for (int i = 0; i < 30; ++i) EXPECT_EQ(headers[i].base_offset, 3 * i);
    EXPECT_EQ(read.value().next_offset, 90);
}

TEST_F(LogTest, ReadFromTheMiddleOfABatchReturnsThatWholeBatch) {
    auto log = open_log();
    append_batches(*log, 3, 5, 1000);
    auto read = log->read(7, 1 << 20, log->log_end_offset());
    ASSERT_TRUE(read);
    auto headers = headers_of(read.value());
    ASSERT_EQ(headers.size(), 2u);
    EXPECT_EQ(headers[0].base_offset, 5);
    EXPECT_EQ(headers[1].base_offset, 10);
}

TEST_F(LogTest, ReadReturnsTheFirstBatchEvenWhenItExceedsMaxBytes) {
    auto log = open_log();
    append_batches(*log, 3, 5, 1000, 500);
    auto read = log->read(0, 10, log->log_end_offset());
    ASSERT_TRUE(read);
    auto headers = headers_of(read.value());
    ASSERT_EQ(headers.size(), 1u);
    EXPECT_EQ(read.value().next_offset, 5);
}

TEST_F(LogTest, ReadReturnsOnlyWholeBatchesWithinMaxBytesAcrossSegments) {
    LogConfig config;
    config.segment_bytes = 500;
    auto log = open_log(config);
    append_batches(*log, 12, 2, 1000, 40);
    ASSERT_GT(log->segment_count(), 2u);
    auto one = log->read(0, 1 << 20, 100);
    ASSERT_TRUE(one);
    const uint64_t batch_size = one.value().size / 12;
    auto read = log->read(2, batch_size * 7 + batch_size / 2, 100);
    ASSERT_TRUE(read);
    EXPECT_EQ(read.value().size, batch_size * 7);
    EXPECT_GT(read.value().slices.size(), 1u);
    EXPECT_EQ(read.value().next_offset, 16);
    EXPECT_EQ(headers_of(read.value()).size(), 7u);
}

TEST_F(LogTest, BatchHeadersFromListEveryBatchToTheEnd) {
    LogConfig config;
    config.segment_bytes = 500;
    auto log = open_log(config);
    append_batches(*log, 12, 2, 1000, 40);
    auto headers = log->batch_headers_from(5);
    ASSERT_TRUE(headers);
    ASSERT_EQ(headers.value().size(), 10u);
    EXPECT_EQ(headers.value().front().base_offset, 4);
    EXPECT_EQ(headers.value().back().base_offset, 22);
    EXPECT_EQ(log->max_timestamp()->timestamp, 1012);
    EXPECT_EQ(log->max_timestamp()->offset, 22);
}

TEST_F(LogTest, ReadStopsBeforeTheUpperOffsetLimit) {
    auto log = open_log();
    append_batches(*log, 4, 5, 1000);
    auto read = log->read(0, 1 << 20, 10);  // high watermark 10: batches 0-4 and 5-9 only
    ASSERT_TRUE(read);
    EXPECT_EQ(headers_of(read.value()).size(), 2u);
    auto at_limit = log->read(10, 1 << 20, 10);
    ASSERT_TRUE(at_limit);
    EXPECT_TRUE(at_limit.value().slices.empty());
}

TEST_F(LogTest, ReadOutsideTheLogReturnsOffsetOutOfRange) {
    auto log = open_log();
    append_batches(*log, 1, 5, 1000);
    EXPECT_EQ(log->read(6, 100, 100).error(), make_error_code(Errc::OffsetOutOfRange));
    EXPECT_EQ(log->read(-1, 100, 100).error(), make_error_code(Errc::OffsetOutOfRange));
    auto at_end = log->read(5, 100, 100);
    ASSERT_TRUE(at_end);
    EXPECT_TRUE(at_end.value().slices.empty());
}

TEST_F(LogTest, OffsetsContinueAfterReopen) {
    {
        LogConfig config;
        config.segment_bytes = 600;
        auto log = open_log(config);
        append_batches(*log, 10, 2, 1000, 40);
        ASSERT_TRUE(log->close());
    }
    auto log = open_log();
    EXPECT_EQ(log->log_end_offset(), 20);
    EXPECT_EQ(log->recovery_point(), 20);
    auto batch = make_batch(1, 5000);
    auto info = log->append(batch);
    ASSERT_TRUE(info);
    EXPECT_EQ(info.value().base_offset, 20);
    auto read = log->read(13, 1 << 20, 100);
    ASSERT_TRUE(read);
    EXPECT_EQ(headers_of(read.value()).front().base_offset, 12);
}

TEST_F(LogTest, OffsetsContinueAfterReopenWithoutACleanClose) {
    {
        auto log = open_log();
        append_batches(*log, 4, 2, 1000);
    }  // no flush, no checkpoint: a process crash keeps the page cache
    auto log = open_log();
    EXPECT_EQ(log->log_end_offset(), 8);
}

TEST_F(LogTest, ABatchWithABadCrcIsRejectedAndNothingIsAppended) {
    auto log = open_log();
    auto good = make_batch(2, 1000);
    auto bad = make_batch(2, 1000);
    bad.back() ^= 0x01;
    std::vector<uint8_t> both = good;
    both.insert(both.end(), bad.begin(), bad.end());
    auto result = log->append(both);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error(), make_error_code(common::Errc::CorruptData));
    EXPECT_EQ(log->log_end_offset(), 0);
    EXPECT_EQ(log->size_bytes(), 0u);
}

TEST_F(LogTest, SeveralBatchesInOneAppendGetConsecutiveOffsets) {
    auto log = open_log();
    auto first = make_batch(2, 1000);
    auto second = make_batch(3, 2000);
    std::vector<uint8_t> both = first;
    both.insert(both.end(), second.begin(), second.end());
    auto info = log->append(both);
    ASSERT_TRUE(info);
    EXPECT_EQ(info.value().base_offset, 0);
    EXPECT_EQ(info.value().last_offset, 4);
    EXPECT_EQ(info.value().batch_count, 2);
    EXPECT_EQ(info.value().max_timestamp, 2002);
    EXPECT_EQ(info.value().offset_of_max_timestamp, 2);
}

TEST_F(LogTest, LeaderEpochIsStampedIntoEachBatch) {
    auto log = open_log();
    auto batch = make_batch(2, 1000);
    ASSERT_TRUE(log->append(batch, 7));
    auto read = log->read(0, 1 << 20, 100);
    ASSERT_TRUE(read);
    EXPECT_EQ(headers_of(read.value()).front().partition_leader_epoch, 7);
}

TEST_F(LogTest, ReplicatedAppendKeepsOffsetsAndRefusesOnesBelowTheEnd) {
    auto log = open_log();
    auto batch = make_batch(3, 1000);
    ASSERT_TRUE(records::set_base_offset(batch, 0));
    ASSERT_TRUE(log->append_replicated(batch));
    auto again = make_batch(3, 1000);
    EXPECT_EQ(log->append_replicated(again).error(), make_error_code(Errc::InvalidOffset));
    ASSERT_TRUE(records::set_base_offset(again, 3));
    auto info = log->append_replicated(again);
    ASSERT_TRUE(info);
    EXPECT_EQ(info.value().base_offset, 3);
    EXPECT_EQ(log->log_end_offset(), 6);
}

TEST_F(LogTest, RollsANewSegmentOnceTheActiveOneIsOlderThanSegmentMs) {
    LogConfig config;
    config.segment_ms = 60'000;
    auto log = open_log(config);
    append_batches(*log, 2, 1, 1000);
    EXPECT_EQ(log->segment_count(), 1u);
    now_ += 60'000;
    append_batches(*log, 1, 1, 2000);
    EXPECT_EQ(log->segment_count(), 2u);
    append_batches(*log, 1, 1, 3000);
    EXPECT_EQ(log->segment_count(), 2u);
}

TEST_F(LogTest, OffsetForTimestampFindsTheFirstBatchReachingIt) {
    LogConfig config;
    config.segment_bytes = 800;
    config.index_interval_bytes = 100;
    auto log = open_log(config);
    for (int i = 0; i < 40; ++i) {
        auto batch = make_batch(2, 10'000 + 100 * i, 30);  // records at ts, ts+1
        ASSERT_TRUE(log->append(batch));
    }
    ASSERT_GT(log->segment_count(), 2u);
    auto found = log->offset_for_timestamp(10'000 + 100 * 17 + 50);
    ASSERT_TRUE(found);
    ASSERT_TRUE(found.value().has_value());
    EXPECT_EQ(found.value()->offset, 36);
    EXPECT_EQ(found.value()->timestamp, 10'000 + 100 * 18);
    auto inside = log->offset_for_timestamp(10'000 + 100 * 5 + 1);  // the second record of a batch
    ASSERT_TRUE(inside);
    EXPECT_EQ(inside.value()->offset, 11);
    auto first = log->offset_for_timestamp(0);
    ASSERT_TRUE(first);
    EXPECT_EQ(first.value()->offset, 0);
    auto none = log->offset_for_timestamp(1'000'000);
    ASSERT_TRUE(none);
    EXPECT_FALSE(none.value().has_value());
    EXPECT_EQ(log->max_timestamp()->offset, 78);
}

TEST_F(LogTest, TruncateToRemovesTheBatchHoldingTheOffsetAndEverythingAfter) {
    LogConfig config;
    config.segment_bytes = 600;
    auto log = open_log(config);
    append_batches(*log, 20, 2, 1000, 40);
    ASSERT_GT(log->segment_count(), 3u);
    ASSERT_TRUE(log->truncate_to(11));  // inside the batch 10-11
    EXPECT_EQ(log->log_end_offset(), 10);
    auto batch = make_batch(1, 9000);
    auto info = log->append(batch);
    ASSERT_TRUE(info);
    EXPECT_EQ(info.value().base_offset, 10);
    auto read = log->read(8, 1 << 20, 100);
    ASSERT_TRUE(read);
    auto headers = headers_of(read.value());
    ASSERT_EQ(headers.size(), 2u);
    EXPECT_EQ(headers[1].base_offset, 10);
    EXPECT_EQ(headers[1].max_timestamp, 9000);
}

TEST_F(LogTest, TruncateToASegmentBoundaryDropsThatSegment) {
    LogConfig config;
    config.segment_bytes = 600;
    auto log = open_log(config);
    append_batches(*log, 20, 2, 1000, 40);
    auto before = log->segment_count();
    auto read = log->read(0, 1 << 20, 100);
    ASSERT_TRUE(read);
    // The second slice starts the second segment.
    ASSERT_GT(read.value().slices.size(), 1u);
    auto headers = headers_of(read.value());
    int64_t second_base =
        headers[read.value().slices[0].size / headers[0].size_bytes()].base_offset;
    ASSERT_TRUE(log->truncate_to(second_base));
    EXPECT_EQ(log->log_end_offset(), second_base);
    EXPECT_EQ(log->segment_count(), 1u);
    EXPECT_LT(log->segment_count(), before);
}

TEST_F(LogTest, DeleteRecordsMovesTheStartOffsetAndSurvivesReopen) {
    LogConfig config;
    config.segment_bytes = 600;
    {
        auto log = open_log(config);
        append_batches(*log, 20, 2, 1000, 40);
        auto start = log->delete_records_before(15);
        ASSERT_TRUE(start);
        EXPECT_EQ(start.value(), 15);
        EXPECT_EQ(log->read(14, 100, 100).error(), make_error_code(Errc::OffsetOutOfRange));
        auto read = log->read(15, 1 << 20, 100);
        ASSERT_TRUE(read);
        EXPECT_EQ(headers_of(read.value()).front().base_offset, 14);  // the whole batch 14-15
        EXPECT_EQ(log->delete_records_before(41).error(), make_error_code(Errc::OffsetOutOfRange));
    }
    auto log = open_log(config);
    EXPECT_EQ(log->log_start_offset(), 15);
    EXPECT_EQ(log->log_end_offset(), 40);
    ASSERT_TRUE(log->run_retention(now_));
    auto read = log->read(15, 1 << 20, 100);
    ASSERT_TRUE(read);
    EXPECT_EQ(headers_of(read.value()).front().base_offset, 14);
}

TEST_F(LogTest, RetentionByBytesDeletesOldSegmentsButNeverTheActiveOne) {
    LogConfig config;
    config.segment_bytes = 600;
    config.retention_bytes = 1000;
    config.retention_ms = -1;
    auto log = open_log(config);
    append_batches(*log, 40, 2, 1000, 40);
    const auto segments = log->segment_count();
    ASSERT_GT(segments, 4u);
    auto deleted = log->run_retention(now_);
    ASSERT_TRUE(deleted);
    EXPECT_GT(deleted.value(), 0);
    EXPECT_LE(log->size_bytes(), 1000u + 600u);
    EXPECT_GE(log->size_bytes(), 1000u);
    EXPECT_GT(log->log_start_offset(), 0);
    EXPECT_EQ(log->log_end_offset(), 80);

    config.retention_bytes = 0;
    ASSERT_TRUE(log->set_config(config));
    ASSERT_TRUE(log->run_retention(now_));
    EXPECT_EQ(log->segment_count(), 1u);
    EXPECT_GT(log->size_bytes(), 0u);
    auto read = log->read(log->log_start_offset(), 1 << 20, 100);
    ASSERT_TRUE(read);
    EXPECT_FALSE(read.value().slices.empty());
}

TEST_F(LogTest, RetentionByTimeDeletesSegmentsWhoseNewestRecordIsTooOld) {
    LogConfig config;
    config.segment_bytes = 600;
    config.retention_ms = 10'000;
    auto log = open_log(config);
    append_batches(*log, 20, 2, 100'000, 40);  // timestamps 100000..100020
    append_batches(*log, 20, 2, 200'000, 40);  // timestamps 200000..200020
    const auto segments = log->segment_count();
    auto none = log->run_retention(100'000);
    ASSERT_TRUE(none);
    EXPECT_EQ(none.value(), 0);
    auto some = log->run_retention(150'000);
    ASSERT_TRUE(some);
    EXPECT_GT(some.value(), 0);
    EXPECT_LT(log->segment_count(), segments);
    auto first = log->read(log->log_start_offset(), 1 << 20, 100);
    ASSERT_TRUE(first);
    // The first remaining segment is the one whose newest batch is recent enough.
    auto headers = headers_of(first.value());
    uint64_t in_first_segment = 0;
    int64_t newest = -1;
    for (const auto& h : headers) {
        if (in_first_segment >= first.value().slices.front().size) break;
        in_first_segment += h.size_bytes();
        newest = std::max(newest, h.max_timestamp);
    }
    EXPECT_GE(newest, 200'000);
    ASSERT_TRUE(log->run_retention(10'000'000));
    EXPECT_EQ(log->segment_count(), 1u);  // the active segment stays
    EXPECT_EQ(log->log_end_offset(), 80);
}

}  // namespace
}  // namespace broker::storage
