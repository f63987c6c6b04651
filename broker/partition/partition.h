#pragma once
// Partition: one topic-partition's data path on a single node: its log, high watermark and log
// start offset, idempotent-producer state, group-committed acks=all, and fetch wake-ups.
// Owned (shared_ptr) by its shard's PartitionManager; lives on and is touched only by that shard.
// In-flight produce coroutines and posted flush passes hold a reference, so removal is safe.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "broker/partition/data_path.h"
#include "broker/partition/partition_log.h"
#include "broker/partition/partition_types.h"
#include "broker/partition/producer_state.h"
#include "broker/partition/signal.h"
#include "common/asio.h"
#include "common/result.h"

namespace broker::partition {

// The leader epoch of every partition on a single node (replicated ones use the Raft term).
inline constexpr int32_t kLeaderEpoch = 0;

// Checks a client's current_leader_epoch (-1: not given). Errors: UnknownLeaderEpoch,
// FencedLeaderEpoch.
[[nodiscard]] common::Result<void> check_leader_epoch(int32_t current_leader_epoch);

class Partition final : public DataPath, public std::enable_shared_from_this<Partition> {
  public:
    // Opens the partition over `log`: loads the newest producer snapshot and replays the batch
    // headers after it. Errors: the log's.
    [[nodiscard]] static common::Result<std::shared_ptr<Partition>> open(
        std::string topic, int32_t index, std::unique_ptr<PartitionLog> log,
        common::asio::any_io_executor executor, PartitionSettings settings);

    const std::string& topic() const { return topic_; }
    int32_t index() const { return index_; }

    // Validates, checks idempotence and appends one batch, then waits as `acks` asks:
    // 0 and 1 return after the append, -1 (all) after the append is fdatasync'ed.
    common::awaitable<common::Result<ProduceResult>> produce(std::vector<uint8_t> records,
                                                             int16_t acks);
    // DataPath: a single node has no replicas to wait for, so min.insync.replicas is ignored.
    common::awaitable<common::Result<ProduceResult>> produce(std::vector<uint8_t> records,
                                                             int16_t acks,
                                                             int32_t min_insync_replicas) override;

    // Reads from `offset` up to the high watermark. Unless `min_one`, returns nothing rather than
    // exceed `max_bytes`. Errors: OffsetOutOfRange, StorageError.
    [[nodiscard]] common::Result<FetchData> read(int64_t offset, int32_t max_bytes,
                                                 bool min_one) override;

    // Calls waker.wake now if data past `offset` is visible, else on the next high-watermark
    // advance (if the fetch is still alive then).
    void add_waiter(int64_t offset, FetchWaker waker) override;

    // ListOffsets: -2 earliest, -1 latest, -3 max timestamp, otherwise by timestamp.
    // nullopt offset when no record has such a timestamp.
    [[nodiscard]] common::Result<TimestampOffset> offset_for(int64_t timestamp) override;
    // Epoch 0 ends at the log end; any other epoch is undefined.
    [[nodiscard]] common::Result<EpochEndOffset> end_offset_for_epoch(int32_t epoch) override;
    [[nodiscard]] common::Result<void> check_leader_epoch(
        int32_t current_leader_epoch) const override;
    int32_t leader_epoch() const override { return kLeaderEpoch; }

    int64_t high_watermark() const { return high_watermark_; }
    int64_t log_start_offset() const { return log_->start_offset(); }
    int64_t log_end_offset() const { return log_->end_offset(); }
    const ProducerStateTable& producers() const { return producers_; }
    void set_settings(PartitionSettings settings) override { settings_ = settings; }

    // Writes a producer snapshot (clean shutdown, segment roll). Errors: IoError.
    [[nodiscard]] common::Result<void> write_snapshot();
    // Flushes the log and writes a producer snapshot; later produce calls fail with Shutdown.
    [[nodiscard]] common::Result<void> close();

    Partition(std::string topic, int32_t index, std::unique_ptr<PartitionLog> log,
              common::asio::any_io_executor executor, PartitionSettings settings);

  private:
    struct FlushWaiter {
        explicit FlushWaiter(const common::asio::any_io_executor& ex) : done(ex) {}
        Signal done;
        common::Result<void> result = common::ok();
    };

    [[nodiscard]] common::Result<void> recover_producers();
    [[nodiscard]] common::Result<ProduceResult> append(std::vector<uint8_t>& records);
    common::awaitable<common::Result<void>> wait_flushed();
    void run_flush();
    void advance_high_watermark(int64_t hw);

    std::string topic_;
    int32_t index_;
    std::unique_ptr<PartitionLog> log_;
    common::asio::any_io_executor executor_;
    PartitionSettings settings_;
    ProducerStateTable producers_;
    int64_t high_watermark_ = 0;
    bool closed_ = false;
    bool flush_scheduled_ = false;
    std::vector<std::shared_ptr<FlushWaiter>> flush_waiters_;
    std::vector<FetchWaker> fetch_waiters_;
};

}  // namespace broker::partition
