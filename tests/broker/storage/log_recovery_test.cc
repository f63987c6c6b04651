#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "broker/storage/checkpoint_file.h"
#include "broker/storage/errc.h"
#include "broker/storage/fake_file_io.h"
#include "broker/storage/log.h"
#include "broker/storage/posix_file_io.h"
#include "tests/broker/storage/storage_test_util.h"

namespace broker::storage {
namespace {

using testing::make_batch;

constexpr const char* kDir = "/data/topic-0";
const std::string kFirstLog = std::string(kDir) + "/00000000000000000000.log";

std::unique_ptr<Log> open_log(FileIo& io, const std::string& dir, LogConfig config = {}) {
    auto log = Log::open(io, dir, config, [] { return int64_t{1'000'000}; });
    EXPECT_TRUE(log) << log.error().message();
    return log ? std::move(log).value() : nullptr;
}

void append_batches(Log& log, int count, int records = 2) {
    for (int i = 0; i < count; ++i) {
        auto batch = make_batch(records, 1000 + i, 40);
        ASSERT_TRUE(log.append(batch));
    }
}

TEST(LogRecoveryTest, PowerLossKeepsFlushedBatchesAndLosesTheRest) {
    FakeFileIo io;
    {
        auto log = open_log(io, kDir);
        append_batches(*log, 5);
        ASSERT_TRUE(log->flush());
        append_batches(*log, 3);
    }
    io.crash();
    auto log = open_log(io, kDir);
    EXPECT_EQ(log->log_end_offset(), 10);
    auto batch = make_batch(1, 5000);
    auto info = log->append(batch);
    ASSERT_TRUE(info);
    EXPECT_EQ(info.value().base_offset, 10);
}

TEST(LogRecoveryTest, BatchesRecoveredAfterAProcessCrashAreSyncedAtOpen) {
    FakeFileIo io;
    {
        auto log = open_log(io, kDir);
        append_batches(*log, 4);
    }  // the process dies: the page cache (the fake's current bytes) survives, nothing synced
    ASSERT_EQ(io.synced_size(kFirstLog), 0u);
    {
        auto log = open_log(io, kDir);
        EXPECT_EQ(log->log_end_offset(), 8);
        EXPECT_EQ(log->recovery_point(), 8);
        EXPECT_EQ(io.synced_size(kFirstLog), io.contents(kFirstLog).size());
    }
    io.crash();  // a power loss now loses nothing the recovery point covers
    auto log = open_log(io, kDir);
    EXPECT_EQ(log->log_end_offset(), 8);
}

TEST(LogRecoveryTest, ATornTailIsTruncatedOnReopenAndAppendsContinueAtTheRightOffset) {
    FakeFileIo io;
    {
        auto log = open_log(io, kDir);
        append_batches(*log, 4);
        ASSERT_TRUE(log->flush());
        ASSERT_TRUE(log->checkpoint());
        append_batches(*log, 1);
    }
    const size_t synced = io.synced_size(kFirstLog);
    io.crash_tearing(kFirstLog, 30);  // half a batch reached the disk
    ASSERT_EQ(io.contents(kFirstLog).size(), synced + 30);
    auto log = open_log(io, kDir);
    EXPECT_EQ(log->log_end_offset(), 8);
    EXPECT_EQ(io.contents(kFirstLog).size(), synced);
    auto batch = make_batch(2, 5000);
    auto info = log->append(batch);
    ASSERT_TRUE(info);
    EXPECT_EQ(info.value().base_offset, 8);
    auto read = log->read(8, 1 << 20, 100);
    ASSERT_TRUE(read);
    EXPECT_EQ(read.value().size, batch.size());
}

TEST(LogRecoveryTest, ATornTailInAnOlderSegmentDropsEveryLaterSegment) {
    FakeFileIo io;
    LogConfig config;
    config.segment_bytes = 400;
    {
        auto log = open_log(io, kDir, config);
        append_batches(*log, 12);
        ASSERT_GT(log->segment_count(), 2u);
    }
    // Nothing was ever flushed: tear the first segment; later segments lose everything.
    io.crash_tearing(kFirstLog, 150);
    auto log = open_log(io, kDir, config);
    EXPECT_EQ(log->segment_count(), 1u);
    EXPECT_LE(log->log_end_offset(), 4);
    auto batch = make_batch(1, 5000);
    auto info = log->append(batch);
    ASSERT_TRUE(info);
    EXPECT_EQ(info.value().base_offset, log->log_end_offset() - 1);
}

TEST(LogRecoveryTest, ATruncationSurvivesAPowerLoss) {
    FakeFileIo io;
    {
        auto log = open_log(io, kDir);
        append_batches(*log, 5);
        ASSERT_TRUE(log->flush());
        ASSERT_TRUE(log->checkpoint());
        ASSERT_TRUE(log->truncate_to(4));
    }
    io.crash();
    auto log = open_log(io, kDir);
    EXPECT_EQ(log->log_end_offset(), 4);
}

// A log of several flushed segments, offsets [0, 20), closed cleanly.
void write_segmented_log(FileIo& io) {
    LogConfig config;
    config.segment_bytes = 600;
    auto log = open_log(io, kDir, config);
    append_batches(*log, 10);
    ASSERT_GT(log->segment_count(), 2u);
    ASSERT_TRUE(log->close());
}

std::vector<std::string> segment_logs(FileIo& io) {
    std::vector<std::string> out;
    auto names = io.list_dir(kDir);
    EXPECT_TRUE(names);
    if (!names) return out;
    for (const auto& name : names.value()) {
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".log") == 0) out.push_back(name);
    }
    return out;
}

TEST(LogRecoveryTest, ARestartPastTheEndSurvivesAPowerLoss) {
    FakeFileIo io;
    write_segmented_log(io);
    {
        auto log = open_log(io, kDir);
        ASSERT_TRUE(log->truncate_fully_and_start_at(100));
        EXPECT_EQ(log->log_start_offset(), 100);
        EXPECT_EQ(log->log_end_offset(), 100);
    }
    io.crash();
    auto log = open_log(io, kDir);
    EXPECT_EQ(log->log_start_offset(), 100);
    EXPECT_EQ(log->log_end_offset(), 100);
    EXPECT_EQ(segment_logs(io), std::vector<std::string>{"00000000000000000100.log"});
    auto batch = make_batch(1, 5000);
    auto info = log->append(batch);
    ASSERT_TRUE(info);
    EXPECT_EQ(info.value().base_offset, 100);
}

// A crash after the restart's checkpoint (its commit point) but before every old segment was
// deleted and the new one created: open finishes the restart.
TEST(LogRecoveryTest, ARestartInterruptedAfterItsCheckpointIsFinishedAtOpen) {
    for (size_t deleted : {size_t{0}, size_t{1}, size_t{99}}) {
        SCOPED_TRACE(deleted);
        FakeFileIo io;
        write_segmented_log(io);
        ASSERT_TRUE(write_checkpoint(io, kDir, LogCheckpoint{20, 100}));
        auto logs = segment_logs(io);
        for (size_t i = 0; i < std::min(deleted, logs.size()); ++i) {
            ASSERT_TRUE(io.remove_file(std::string(kDir) + "/" + logs[i]));
        }
        auto log = open_log(io, kDir);
        EXPECT_EQ(log->log_start_offset(), 100);
        EXPECT_EQ(log->log_end_offset(), 100);
        EXPECT_EQ(log->segment_count(), 1u);
        EXPECT_EQ(segment_logs(io), std::vector<std::string>{"00000000000000000100.log"});
    }
}

// A restart whose checkpoint cannot be written changes nothing on disk: the old log reopens.
TEST(LogRecoveryTest, ARestartFailingBeforeItsCheckpointLeavesTheOldLog) {
    FakeFileIo io;
    write_segmented_log(io);
    const auto before = segment_logs(io);
    {
        auto log = open_log(io, kDir);
        io.set_fail_writes(true);
        EXPECT_FALSE(log->truncate_fully_and_start_at(100));
        io.set_fail_writes(false);
    }
    io.crash();
    auto log = open_log(io, kDir);
    EXPECT_EQ(log->log_start_offset(), 0);
    EXPECT_EQ(log->log_end_offset(), 20);
    EXPECT_EQ(segment_logs(io), before);
}

TEST(LogRecoveryTest, ACrcBadTailIsTruncatedOnReopen) {
    testing::TempDir tmp;
    PosixFileIo io;
    const std::string dir = tmp.path() + "/topic-0";
    uint64_t size_before_last = 0;
    {
        auto log = open_log(io, dir);
        append_batches(*log, 4);
        size_before_last = log->size_bytes();
        append_batches(*log, 1);
        ASSERT_TRUE(log->close());
    }
    // Flip a byte in the last batch's records: its CRC no longer matches.
    const std::string path = dir + "/00000000000000000000.log";
    auto size = std::filesystem::file_size(path);
    {
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(static_cast<std::streamoff>(size - 3));
        char c = 0;
        f.read(&c, 1);
        c = static_cast<char>(c ^ 0x5A);
        f.seekp(static_cast<std::streamoff>(size - 3));
        f.write(&c, 1);
    }
    // The checkpoint says everything was flushed; forget it so the tail is validated, as after
    // a power loss that damaged the unflushed tail.
    std::filesystem::remove(dir + "/checkpoint");
    auto log = open_log(io, dir);
    EXPECT_EQ(log->log_end_offset(), 8);
    EXPECT_EQ(std::filesystem::file_size(path), size_before_last);
}

TEST(LogRecoveryTest, ADeletedIndexIsRebuiltFromTheLog) {
    testing::TempDir tmp;
    PosixFileIo io;
    const std::string dir = tmp.path() + "/topic-0";
    LogConfig config;
    config.segment_bytes = 2000;
    config.index_interval_bytes = 100;
    std::vector<uint8_t> index_before;
    {
        auto log = open_log(io, dir, config);
        append_batches(*log, 30);
        ASSERT_GT(log->segment_count(), 2u);
        ASSERT_TRUE(log->close());
    }
    const std::string index = dir + "/00000000000000000000.index";
    auto index_size = std::filesystem::file_size(index);
    ASSERT_GT(index_size, 0u);
    std::filesystem::remove(index);
    std::filesystem::remove(dir + "/00000000000000000000.timeindex");
    auto log = open_log(io, dir, config);
    EXPECT_EQ(std::filesystem::file_size(index), index_size);
    EXPECT_EQ(log->log_end_offset(), 60);
    auto read = log->read(21, 1 << 20, 100);
    ASSERT_TRUE(read);
    auto found = log->offset_for_timestamp(1010);
    ASSERT_TRUE(found);
    ASSERT_TRUE(found.value().has_value());
    EXPECT_EQ(found.value()->offset, 19);  // batch i (offsets 2i, 2i+1) holds ts 1000+i, 1001+i
}

TEST(LogRecoveryTest, ACorruptIndexIsRebuiltFromTheLog) {
    FakeFileIo io;
    LogConfig config;
    config.segment_bytes = 2000;
    config.index_interval_bytes = 100;
    {
        auto log = open_log(io, kDir, config);
        append_batches(*log, 30);
        ASSERT_TRUE(log->close());
    }
    const std::string index = std::string(kDir) + "/00000000000000000000.index";
    auto good = io.contents(index);
    io.corrupt(index, 9);  // the second entry's relative offset
    auto log = open_log(io, kDir, config);
    EXPECT_EQ(io.contents(index), good);
    EXPECT_EQ(log->log_end_offset(), 60);
}

TEST(LogRecoveryTest, LeftoverFilesAreRemovedAtOpen) {
    FakeFileIo io;
    {
        auto log = open_log(io, kDir);
        append_batches(*log, 2);
        ASSERT_TRUE(log->close());
    }
    for (const char* name : {"00000000000000000500.index", "checkpoint.tmp", "x.deleted"}) {
        ASSERT_TRUE(io.open(std::string(kDir) + "/" + name, OpenMode::ReadWriteCreate));
    }
    auto log = open_log(io, kDir);
    auto names = io.list_dir(kDir);
    ASSERT_TRUE(names);
    EXPECT_EQ(names.value(),
              (std::vector<std::string>{"00000000000000000000.index", "00000000000000000000.log",
                                        "00000000000000000000.timeindex", "checkpoint"}));
}

TEST(LogRecoveryTest, AFailedWriteTakesTheLogOfflineWithoutAppendingHalfABatch) {
    FakeFileIo io;
    auto log = open_log(io, kDir);
    append_batches(*log, 2);
    io.set_fail_writes(true);
    auto batch = make_batch(2, 5000);
    EXPECT_FALSE(log->append(batch));
    EXPECT_TRUE(log->offline());
    EXPECT_EQ(log->append(batch).error(), make_error_code(Errc::LogOffline));
    io.set_fail_writes(false);
    log.reset();
    log = open_log(io, kDir);
    EXPECT_EQ(log->log_end_offset(), 4);
}

TEST(LogRecoveryTest, FlushSyncsOnlyWhenSomethingWasAppended) {
    FakeFileIo io;
    auto log = open_log(io, kDir);
    append_batches(*log, 3);
    ASSERT_TRUE(log->flush());
    const auto syncs = io.sync_count();
    ASSERT_TRUE(log->flush());
    EXPECT_EQ(io.sync_count(), syncs);
    EXPECT_EQ(log->recovery_point(), 6);
    EXPECT_EQ(io.synced_size(kFirstLog), io.contents(kFirstLog).size());
}

}  // namespace
}  // namespace broker::storage
