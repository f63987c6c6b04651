#pragma once
// PartitionLog: the narrow view of one partition's log that a Partition needs. The production
// implementation (storage_partition_log.h) wraps broker::storage::Log; the Raft-replicated log of
// a later issue implements the same view; unit tests use an in-memory FakePartitionLog.
// An implementation is owned by its Partition and used only on the partition's shard.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

#include "common/result.h"

namespace broker::partition {

struct LogAppendResult {
    int64_t base_offset = 0;
    int64_t last_offset = 0;
};

// One batch header as seen when replaying the log (producer-state rebuild).
struct LogBatchInfo {
    int64_t base_offset = 0;
    int32_t last_offset_delta = 0;
    int64_t max_timestamp = -1;
    int64_t producer_id = -1;
    int16_t producer_epoch = -1;
    int32_t base_sequence = -1;
    int32_t partition_leader_epoch = -1;  // the leader epoch (Raft term) it was written in
};

struct TimestampOffset {
    int64_t timestamp = -1;
    int64_t offset = -1;
};

class PartitionLog {
  public:
    virtual ~PartitionLog() = default;

    // Appends one validated batch, assigning offsets from the log end (the base offset is
    // rewritten in `batch`). Errors: storage errors.
    [[nodiscard]] virtual common::Result<LogAppendResult> append(std::span<uint8_t> batch) = 0;

    // Whole batches starting with the one containing `offset`, up to about `max_bytes` (at least
    // one batch when any exists below `upper_bound`), never a batch at or past `upper_bound`.
    [[nodiscard]] virtual common::Result<std::vector<uint8_t>> read(int64_t offset,
                                                                    size_t max_bytes,
                                                                    int64_t upper_bound) = 0;

    // The headers of every batch from `from_offset` to the end, in order.
    [[nodiscard]] virtual common::Result<std::vector<LogBatchInfo>> batches_from(
        int64_t from_offset) = 0;

    // Drops every batch and restarts the log empty at `offset`: start and end offset become
    // `offset` (a follower behind its leader's log start). Durable when it returns; a crash
    // during it leaves either the old log or the empty one (when `offset` is past the end).
    [[nodiscard]] virtual common::Result<void> restart_at(int64_t offset) = 0;

    // fdatasync of everything appended so far.
    [[nodiscard]] virtual common::Result<void> flush() = 0;

    virtual int64_t start_offset() const = 0;
    virtual int64_t end_offset() const = 0;

    // The first batch whose max timestamp is >= `timestamp` (its first offset with that batch's
    // max timestamp), or nullopt when there is none.
    [[nodiscard]] virtual common::Result<std::optional<TimestampOffset>> offset_for_timestamp(
        int64_t timestamp) = 0;

    // The largest timestamp in the log and the offset of the batch carrying it.
    [[nodiscard]] virtual common::Result<std::optional<TimestampOffset>> max_timestamp() = 0;

    // The partition's directory (producer snapshots are kept there).
    virtual std::filesystem::path dir() const = 0;
};

}  // namespace broker::partition
