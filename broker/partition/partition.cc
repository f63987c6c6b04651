#include "broker/partition/partition.h"

#include "broker/partition/batch_validation.h"
#include "broker/partition/errc.h"
#include "broker/partition/producer_snapshot.h"
#include "broker/storage/log.h"
#include "common/log.h"
#include "common/protocol/records/record_batch.h"

namespace broker::partition {
namespace {

constexpr int64_t kEarliest = -2;
constexpr int64_t kLatest = -1;
constexpr int64_t kMaxTimestamp = -3;

ProducerBatch producer_batch(const LogBatchInfo& b) {
    return ProducerBatch{.producer_id = b.producer_id,
                         .producer_epoch = b.producer_epoch,
                         .base_sequence = b.base_sequence,
                         .last_offset_delta = b.last_offset_delta,
                         .max_timestamp = b.max_timestamp};
}

std::error_code storage_error(const std::error_code& ec, const std::string& what) {
    common::log::get("partition")->error("{}: {}", what, ec.message());
    return Errc::StorageError;
}

}  // namespace

common::Result<void> check_leader_epoch(int32_t current_leader_epoch) {
    if (current_leader_epoch == -1 || current_leader_epoch == kLeaderEpoch) return common::ok();
    if (current_leader_epoch > kLeaderEpoch) return Errc::UnknownLeaderEpoch;
    return Errc::FencedLeaderEpoch;
}

Partition::Partition(std::string topic, int32_t index, std::unique_ptr<PartitionLog> log,
                     common::asio::any_io_executor executor, PartitionSettings settings)
    : topic_(std::move(topic)),
      index_(index),
      log_(std::move(log)),
      executor_(std::move(executor)),
      settings_(settings),
      high_watermark_(log_->end_offset()) {}

common::Result<std::shared_ptr<Partition>> Partition::open(std::string topic, int32_t index,
                                                           std::unique_ptr<PartitionLog> log,
                                                           common::asio::any_io_executor executor,
                                                           PartitionSettings settings) {
    auto p = std::make_shared<Partition>(std::move(topic), index, std::move(log),
                                         std::move(executor), settings);
    TRIBUTARY_TRY(p->recover_producers());
    return p;
}

common::Result<void> Partition::recover_producers() {
    int64_t from = log_->start_offset();
    if (auto snap = load_latest_producer_snapshot(log_->dir(), log_->end_offset())) {
        producers_ = std::move(snap->table);
        from = std::max(from, snap->offset);
    }
    TRIBUTARY_TRY(batches, log_->batches_from(from));
    for (const LogBatchInfo& b : batches) {
        if (b.producer_id >= 0) producers_.record(producer_batch(b), b.base_offset);
    }
    return common::ok();
}

common::Result<ProduceResult> Partition::append(std::vector<uint8_t>& records) {
    if (closed_) return Errc::Shutdown;
    TRIBUTARY_TRY(accepted, accept_produce_batch(records, settings_, storage::system_clock_ms()));
    const common::records::RecordBatchHeader& header = accepted.header;
    const ProducerBatch meta{.producer_id = header.producer_id,
                             .producer_epoch = header.producer_epoch,
                             .base_sequence = header.base_sequence,
                             .last_offset_delta = header.last_offset_delta,
                             .max_timestamp = header.max_timestamp};
    const bool idempotent = header.producer_id >= 0;
    if (idempotent) {
        TRIBUTARY_TRY(verdict, producers_.check(meta));
        if (verdict.duplicate) {
            return duplicate_result(*verdict.duplicate, settings_, log_->start_offset());
        }
    }
    // Single node: every batch is written in leader epoch 0 (the field lies outside the CRC).
    (void)common::records::set_partition_leader_epoch(records, kLeaderEpoch);
    auto appended = log_->append(records);
    if (!appended) return storage_error(appended.error(), topic_ + " append");
    if (idempotent) producers_.record(meta, appended.value().base_offset);
    advance_high_watermark(log_->end_offset());
    return ProduceResult{.base_offset = appended.value().base_offset,
                         .log_append_time = accepted.log_append_time,
                         .log_start_offset = log_->start_offset()};
}

common::awaitable<common::Result<ProduceResult>> Partition::produce(std::vector<uint8_t> records,
                                                                    int16_t acks) {
    auto self = shared_from_this();
    auto result = append(records);
    if (!result || acks != -1) co_return result;
    auto flushed = co_await wait_flushed();
    if (!flushed) co_return flushed.error();
    co_return result;
}

common::awaitable<common::Result<ProduceResult>> Partition::produce(std::vector<uint8_t> records,
                                                                    int16_t acks, int32_t) {
    return produce(std::move(records), acks);
}

common::Result<EpochEndOffset> Partition::end_offset_for_epoch(int32_t epoch) {
    if (epoch != kLeaderEpoch) return EpochEndOffset{};
    return EpochEndOffset{kLeaderEpoch, log_->end_offset()};
}

common::Result<void> Partition::check_leader_epoch(int32_t current_leader_epoch) const {
    return partition::check_leader_epoch(current_leader_epoch);
}

common::awaitable<common::Result<void>> Partition::wait_flushed() {
    auto waiter = std::make_shared<FlushWaiter>(executor_);
    flush_waiters_.push_back(waiter);
    if (!flush_scheduled_) {
        // Group commit: every append that asks for a flush before this pass runs shares it.
        flush_scheduled_ = true;
        common::asio::post(executor_, [self = shared_from_this()] { self->run_flush(); });
    }
    co_await waiter->done.wait();
    co_return waiter->result;
}

void Partition::run_flush() {
    flush_scheduled_ = false;
    auto waiters = std::move(flush_waiters_);
    flush_waiters_.clear();
    // A closed partition's log may be gone; close() flushed what was appended.
    common::Result<void> r = closed_ ? common::Result<void>(Errc::Shutdown) : log_->flush();
    if (!r && !closed_) r = storage_error(r.error(), topic_ + " flush");
    for (auto& w : waiters) {
        w->result = r;
        w->done.set();
    }
}

void Partition::advance_high_watermark(int64_t hw) {
    if (hw <= high_watermark_) return;
    high_watermark_ = hw;
    auto waiters = std::move(fetch_waiters_);
    fetch_waiters_.clear();
    for (auto& w : waiters) {
        if (!w.alive.expired()) w.wake();
    }
}

void Partition::add_waiter(int64_t offset, FetchWaker waker) {
    if (offset < high_watermark_ || closed_) {
        waker.wake();
        return;
    }
    std::erase_if(fetch_waiters_, [](const FetchWaker& w) { return w.alive.expired(); });
    fetch_waiters_.push_back(std::move(waker));
}

common::Result<FetchData> Partition::read(int64_t offset, int32_t max_bytes, bool min_one) {
    if (closed_) return Errc::Shutdown;
    FetchData data{.high_watermark = high_watermark_,
                   .last_stable_offset = high_watermark_,
                   .log_start_offset = log_->start_offset(),
                   .records = {}};
    if (offset < data.log_start_offset || offset > log_->end_offset()) {
        return Errc::OffsetOutOfRange;
    }
    if (offset >= high_watermark_ || (max_bytes <= 0 && !min_one)) return data;
    const size_t limit = static_cast<size_t>(std::max(max_bytes, 0));
    auto bytes = log_->read(offset, limit, high_watermark_);
    if (!bytes) return storage_error(bytes.error(), topic_ + " read");
    if (bytes.value().size() > limit && !min_one) return data;
    data.records = std::move(bytes).value();
    return data;
}

common::Result<TimestampOffset> Partition::offset_for(int64_t timestamp) {
    if (closed_) return Errc::Shutdown;
    if (timestamp == kEarliest) return TimestampOffset{-1, log_->start_offset()};
    if (timestamp == kLatest) return TimestampOffset{-1, high_watermark_};
    if (timestamp < 0 && timestamp != kMaxTimestamp) return TimestampOffset{};
    auto found =
        timestamp == kMaxTimestamp ? log_->max_timestamp() : log_->offset_for_timestamp(timestamp);
    if (!found) return storage_error(found.error(), topic_ + " offset lookup");
    if (!found.value() || found.value()->offset >= high_watermark_) return TimestampOffset{};
    return *found.value();
}

common::Result<void> Partition::write_snapshot() {
    return write_producer_snapshot(log_->dir(), producers_, log_->end_offset());
}

common::Result<void> Partition::close() {
    if (closed_) return common::ok();
    closed_ = true;
    auto waiters = std::move(fetch_waiters_);
    fetch_waiters_.clear();
    for (auto& w : waiters) {
        if (!w.alive.expired()) w.wake();
    }
    auto flushed = log_->flush();
    if (!flushed) return storage_error(flushed.error(), topic_ + " flush at close");
    return write_snapshot();
}

}  // namespace broker::partition
