#include "broker/partition/partition.h"

#include <gtest/gtest.h>

#include "broker/partition/errc.h"
#include "broker/storage/log.h"
#include "common/protocol/records/record_batch.h"
#include "tests/broker/partition/fake_partition_log.h"
#include "tests/broker/partition/test_batches.h"

namespace broker::partition {
namespace {

using testing::BatchSpec;
using testing::FakeLogState;
using testing::FakePartitionLog;
using testing::make_batch;

common::awaitable<void> produce_into(std::shared_ptr<Partition> p, std::vector<uint8_t> batch,
                                     int16_t acks, common::Result<ProduceResult>* out,
                                     int* completed) {
    *out = co_await p->produce(std::move(batch), acks);
    ++*completed;
}

class PartitionTest : public ::testing::Test {
  protected:
    PartitionTest() {
        state_->dir = std::filesystem::temp_directory_path() /
                      ("partition-test-" + std::to_string(::getpid()) + "-" +
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(state_->dir);
        std::filesystem::create_directories(state_->dir);
    }
    ~PartitionTest() override { std::filesystem::remove_all(state_->dir); }

    std::shared_ptr<Partition> open(PartitionSettings settings = {}) {
        auto p = Partition::open("t", 0, std::make_unique<FakePartitionLog>(state_),
                                 io_.get_executor(), settings);
        EXPECT_TRUE(p);
        return p.value();
    }

    common::Result<ProduceResult> produce(const std::shared_ptr<Partition>& p, BatchSpec spec,
                                          int16_t acks = 1) {
        common::Result<ProduceResult> out = Errc::Shutdown;
        int completed = 0;
        common::asio::co_spawn(io_, produce_into(p, make_batch(spec), acks, &out, &completed),
                               common::asio::detached);
        io_.run();
        io_.restart();
        EXPECT_EQ(completed, 1);
        return out;
    }

    static BatchSpec idem(int16_t epoch, int32_t seq, int n = 1) {
        return BatchSpec{.producer_id = 11,
                         .producer_epoch = epoch,
                         .base_sequence = seq,
                         .values = std::vector<std::string>(n, "x")};
    }

    common::asio::io_context io_;
    std::shared_ptr<FakeLogState> state_ = std::make_shared<FakeLogState>();
};

TEST_F(PartitionTest, AppendAssignsOffsetsAndAdvancesHighWatermark) {
    auto p = open();
    EXPECT_EQ(produce(p, {.values = {"a", "b"}}).value().base_offset, 0);
    EXPECT_EQ(produce(p, {.values = {"c"}}).value().base_offset, 2);
    EXPECT_EQ(p->high_watermark(), 3);
    EXPECT_EQ(state_->batches.size(), 2u);
}

TEST_F(PartitionTest, IdempotentRetryIsAnsweredWithOriginalOffsetAndNotAppendedTwice) {
    auto p = open();
    ASSERT_EQ(produce(p, idem(0, 0, 2)).value().base_offset, 0);
    ASSERT_EQ(produce(p, idem(0, 2, 3)).value().base_offset, 2);
    auto retry = produce(p, idem(0, 0, 2));
    ASSERT_TRUE(retry);
    EXPECT_EQ(retry.value().base_offset, 0);
    EXPECT_TRUE(retry.value().duplicate);
    EXPECT_EQ(state_->batches.size(), 2u);
    EXPECT_EQ(p->log_end_offset(), 5);
}

TEST_F(PartitionTest, LogAppendTimeStampsTheStoredBatchAndAnswersTheAppendTime) {
    auto p = open({.timestamp_type = common::records::TimestampType::LogAppendTime});
    const int64_t before = storage::system_clock_ms();
    auto produced = produce(p, {.producer_id = 4,
                                .producer_epoch = 0,
                                .base_sequence = 0,
                                .timestamp = 1000,
                                .values = {"a", "b"}});
    const int64_t after = storage::system_clock_ms();
    ASSERT_TRUE(produced);
    const int64_t stamped = produced.value().log_append_time;
    EXPECT_GE(stamped, before);
    EXPECT_LE(stamped, after);
    ASSERT_EQ(state_->batches.size(), 1u);
    auto stored = common::records::validate_batch(state_->batches[0]);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored.value().timestamp_type(), common::records::TimestampType::LogAppendTime);
    EXPECT_EQ(stored.value().max_timestamp, stamped);
    EXPECT_EQ(p->offset_for(-3).value().timestamp, stamped);
    // A retry is answered with the time the original was stored with.
    auto retry = produce(p, {.producer_id = 4,
                             .producer_epoch = 0,
                             .base_sequence = 0,
                             .timestamp = 1000,
                             .values = {"a", "b"}});
    ASSERT_TRUE(retry);
    EXPECT_TRUE(retry.value().duplicate);
    EXPECT_EQ(retry.value().log_append_time, stamped);
}

TEST_F(PartitionTest, TimestampTypeChangeAppliesFromTheNextAppend) {
    auto p = open();
    auto created = produce(p, {.timestamp = 1000});
    ASSERT_TRUE(created);
    EXPECT_EQ(created.value().log_append_time, -1);
    p->set_settings({.timestamp_type = common::records::TimestampType::LogAppendTime});
    auto appended = produce(p, {.timestamp = 1000});
    ASSERT_TRUE(appended);
    EXPECT_GT(appended.value().log_append_time, 1000);
    ASSERT_EQ(state_->batches.size(), 2u);
    EXPECT_EQ(common::records::parse_batch_header(state_->batches[0]).value().max_timestamp, 1000);
    EXPECT_EQ(common::records::parse_batch_header(state_->batches[1]).value().max_timestamp,
              appended.value().log_append_time);
}

TEST_F(PartitionTest, OutOfOrderSequenceIsRejectedAndNotAppended) {
    auto p = open();
    ASSERT_TRUE(produce(p, idem(0, 0)));
    auto gap = produce(p, idem(0, 5));
    ASSERT_FALSE(gap);
    EXPECT_EQ(gap.error(), Errc::OutOfOrderSequence);
    EXPECT_EQ(state_->batches.size(), 1u);
}

TEST_F(PartitionTest, EpochBumpFencesTheOldEpoch) {
    auto p = open();
    ASSERT_TRUE(produce(p, idem(0, 0)));
    ASSERT_TRUE(produce(p, idem(1, 0)));
    EXPECT_EQ(produce(p, idem(0, 1)).error(), Errc::InvalidProducerEpoch);
    EXPECT_EQ(produce(p, idem(2, 3)).error(), Errc::OutOfOrderSequence);
}

TEST_F(PartitionTest, InvalidBatchIsRefusedBeforeTheLog) {
    auto p = open();
    auto b = make_batch({});
    b.back() ^= 0xFF;
    common::Result<ProduceResult> out = Errc::Shutdown;
    int completed = 0;
    common::asio::co_spawn(io_, produce_into(p, b, 1, &out, &completed), common::asio::detached);
    io_.run();
    EXPECT_EQ(out.error(), Errc::CorruptMessage);
    EXPECT_TRUE(state_->batches.empty());
}

TEST_F(PartitionTest, ProducerStateSurvivesReopenFromSnapshotAndLogReplay) {
    {
        auto p = open();
        ASSERT_TRUE(produce(p, idem(0, 0, 2)));  // offsets 0-1, in the snapshot
        ASSERT_TRUE(p->write_snapshot());
        ASSERT_TRUE(produce(p, idem(0, 2)));  // offset 2, only in the log
    }
    auto reopened = open();
    auto from_snapshot = produce(reopened, idem(0, 0, 2));
    ASSERT_TRUE(from_snapshot);
    EXPECT_TRUE(from_snapshot.value().duplicate);
    EXPECT_EQ(from_snapshot.value().base_offset, 0);
    auto from_replay = produce(reopened, idem(0, 2));
    ASSERT_TRUE(from_replay);
    EXPECT_TRUE(from_replay.value().duplicate);
    EXPECT_EQ(from_replay.value().base_offset, 2);
    EXPECT_EQ(produce(reopened, idem(0, 4)).error(), Errc::OutOfOrderSequence);
    EXPECT_EQ(produce(reopened, idem(0, 3)).value().base_offset, 3);
}

TEST_F(PartitionTest, ProducerStateIsRebuiltFromTheLogWithoutSnapshot) {
    {
        auto p = open();
        ASSERT_TRUE(produce(p, idem(3, 0)));
    }
    auto reopened = open();
    EXPECT_EQ(produce(reopened, idem(2, 1)).error(), Errc::InvalidProducerEpoch);
    EXPECT_TRUE(produce(reopened, idem(3, 0)).value().duplicate);
}

TEST_F(PartitionTest, AcksAllCompletesOnlyAfterOneCoalescedFlush) {
    auto p = open();
    int completed = 0;
    int completed_at_flush = -1;
    state_->on_flush = [&] { completed_at_flush = completed; };
    std::vector<common::Result<ProduceResult>> out(5, Errc::Shutdown);
    for (int i = 0; i < 5; ++i) {
        common::asio::co_spawn(io_, produce_into(p, make_batch({}), -1, &out[i], &completed),
                               common::asio::detached);
    }
    io_.run();
    EXPECT_EQ(completed_at_flush, 0);
    EXPECT_EQ(completed, 5);
    EXPECT_EQ(state_->flushes, 1);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(out[i].value().base_offset, i);
}

TEST_F(PartitionTest, AcksOneAndZeroDoNotFlush) {
    auto p = open();
    ASSERT_TRUE(produce(p, {}, 1));
    ASSERT_TRUE(produce(p, {}, 0));
    EXPECT_EQ(state_->flushes, 0);
}

TEST_F(PartitionTest, FailedFlushFailsAcksAll) {
    auto p = open();
    state_->fail_flush = true;
    auto r = produce(p, {}, -1);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), Errc::StorageError);
}

TEST_F(PartitionTest, FetchWaiterWakesOnAppendOnlyWhileAlive) {
    auto p = open();
    int woken = 0;
    auto alive = std::make_shared<int>(0);
    p->add_waiter(0, FetchWaker{alive, [&] { ++woken; }});
    auto gone = std::make_shared<int>(0);
    p->add_waiter(0, FetchWaker{gone, [&] { woken += 100; }});
    gone.reset();
    EXPECT_EQ(woken, 0);
    ASSERT_TRUE(produce(p, {}));
    EXPECT_EQ(woken, 1);
    // Data already past the offset: woken at once.
    p->add_waiter(0, FetchWaker{alive, [&] { ++woken; }});
    EXPECT_EQ(woken, 2);
}

TEST_F(PartitionTest, ReadReturnsWholeBatchesWithinMaxBytes) {
    auto p = open();
    const auto size = make_batch({.values = {"aaaa"}}).size();
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(produce(p, {.values = {"aaaa"}}));
    auto two = p->read(0, static_cast<int32_t>(size * 2 + size / 2), false);
    ASSERT_TRUE(two);
    EXPECT_EQ(two.value().records.size(), size * 2);
    EXPECT_EQ(two.value().high_watermark, 3);
    EXPECT_EQ(two.value().last_stable_offset, 3);
    EXPECT_EQ(two.value().log_start_offset, 0);
    auto from_middle = p->read(1, 1 << 20, false);
    EXPECT_EQ(from_middle.value().records.size(), size * 2);
}

TEST_F(PartitionTest, OversizedFirstBatchIsReturnedOnlyWithMinOne) {
    auto p = open();
    ASSERT_TRUE(produce(p, {.values = {std::string(300, 'x')}}));
    auto first = p->read(0, 10, true);
    ASSERT_TRUE(first);
    EXPECT_EQ(first.value().records, state_->batches[0]);
    auto later = p->read(0, 10, false);
    ASSERT_TRUE(later);
    EXPECT_TRUE(later.value().records.empty());
}

TEST_F(PartitionTest, ReadAtHighWatermarkIsEmptyAndPastEndIsOutOfRange) {
    auto p = open();
    ASSERT_TRUE(produce(p, {}));
    EXPECT_TRUE(p->read(1, 1000, true).value().records.empty());
    EXPECT_EQ(p->read(2, 1000, true).error(), Errc::OffsetOutOfRange);
    state_->start_offset = 1;
    EXPECT_EQ(p->read(0, 1000, true).error(), Errc::OffsetOutOfRange);
}

TEST_F(PartitionTest, OffsetForCoversEarliestLatestMaxTimestampAndTimestamp) {
    auto p = open();
    ASSERT_TRUE(produce(p, {.timestamp = 100, .values = {"a", "b"}}));
    ASSERT_TRUE(produce(p, {.timestamp = 300}));
    ASSERT_TRUE(produce(p, {.timestamp = 200}));
    EXPECT_EQ(p->offset_for(-2).value().offset, 0);
    EXPECT_EQ(p->offset_for(-1).value().offset, 4);
    auto max = p->offset_for(-3).value();
    EXPECT_EQ(max.offset, 2);
    EXPECT_EQ(max.timestamp, 300);
    auto by_ts = p->offset_for(150).value();
    EXPECT_EQ(by_ts.offset, 2);
    EXPECT_EQ(by_ts.timestamp, 300);
    EXPECT_EQ(p->offset_for(100).value().offset, 0);
    auto none = p->offset_for(1000).value();
    EXPECT_EQ(none.offset, -1);
    EXPECT_EQ(none.timestamp, -1);
}

TEST_F(PartitionTest, CloseFlushesWritesSnapshotAndRefusesProduce) {
    auto p = open();
    ASSERT_TRUE(produce(p, idem(0, 0)));
    ASSERT_TRUE(p->close());
    EXPECT_EQ(state_->flushes, 1);
    EXPECT_EQ(produce(p, idem(0, 1)).error(), Errc::Shutdown);
    auto snap_found = false;
    for (const auto& e : std::filesystem::directory_iterator(state_->dir)) {
        snap_found |= e.path().string().ends_with(".producer_snapshot");
    }
    EXPECT_TRUE(snap_found);
}

TEST(SignalTest, WaitReturnsAtAPassedDeadlineWithoutSet) {
    common::asio::io_context io;
    Signal s(io.get_executor());
    bool done = false;
    common::asio::co_spawn(
        io,
        [](Signal* sig, bool* d) -> common::awaitable<void> {
            co_await sig->wait(Signal::Clock::now() - std::chrono::seconds(1));
            *d = true;
        }(&s, &done),
        common::asio::detached);
    io.run();
    EXPECT_TRUE(done);
    EXPECT_FALSE(s.is_set());
}

}  // namespace
}  // namespace broker::partition
