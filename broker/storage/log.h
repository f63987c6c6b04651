#pragma once
// Log: one partition's directory `<log.dirs>/<topic>-<partition>`: an ordered run of segments,
// the last one active. Assigns offsets, validates and appends batches, serves reads of whole
// batches, flushes (group commit), recovers after a crash, applies retention, DeleteRecords and
// truncation. Owned by the LogManager (unique_ptr); not thread-safe: every call comes from the
// shard that owns the partition. See docs/durability.md for what is durable when.

#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "broker/storage/checkpoint_file.h"
#include "broker/storage/log_compaction.h"
#include "broker/storage/log_config.h"
#include "broker/storage/segment.h"

namespace broker::storage {

// Milliseconds since the epoch; injected so tests control time.
using Clock = std::function<int64_t()>;
int64_t system_clock_ms();

struct AppendInfo {
    int64_t base_offset = -1;  // offset of the first record appended
    int64_t last_offset = -1;  // offset of the last record appended
    int64_t max_timestamp = -1;
    int64_t offset_of_max_timestamp = -1;  // base offset of the batch holding max_timestamp
    int64_t log_start_offset = 0;
    int32_t batch_count = 0;
    uint64_t bytes = 0;
};

struct ReadResult {
    std::vector<FileSlice> slices;  // whole batches in offset order, possibly empty
    uint64_t size = 0;              // total bytes of the slices
    int64_t next_offset = 0;        // where the next read continues
    int64_t log_start_offset = 0;
    int64_t log_end_offset = 0;

    // The slices' bytes, concatenated (for callers that do not use sendfile).
    [[nodiscard]] Result<std::vector<uint8_t>> copy_bytes() const;
};

struct TimestampOffset {
    int64_t offset;
    int64_t timestamp;
};

class Log {
  public:
    // Opens (creating when missing) the partition directory and recovers it: segments from the
    // one holding the recovery point on are validated batch by batch and a bad tail is cut.
    static Result<std::unique_ptr<Log>> open(FileIo& io, std::string dir, LogConfig config,
                                             Clock clock = system_clock_ms);

    // Validates every batch in `batches` (concatenated magic-v2 batches, rewritten in place),
    // assigns offsets from the log end offset and appends them in one write. A non-negative
    // `leader_epoch` is stamped into each batch. Nothing is appended if any batch is invalid.
    Result<AppendInfo> append(std::span<uint8_t> batches, int32_t leader_epoch = -1);
    // Appends batches whose offsets are already assigned (a follower copying its leader); the
    // first must start at or after the log end offset (else Errc::InvalidOffset).
    Result<AppendInfo> append_replicated(std::span<uint8_t> batches);

    // Whole batches from the one containing `offset`, all below `max_offset` (the high
    // watermark; the log end offset bounds it anyway), at most `max_bytes` except that the first
    // batch is always returned whole. Errc::OffsetOutOfRange outside [start, end].
    Result<ReadResult> read(int64_t offset, uint64_t max_bytes, int64_t max_offset) const;
    // The first record whose timestamp is >= `timestamp` (its offset, or the log start offset
    // if higher, and its timestamp); nullopt when every record is older.
    Result<std::optional<TimestampOffset>> offset_for_timestamp(int64_t timestamp) const;

    // The newest batch timestamp and the base offset of its batch; nullopt for an empty log.
    std::optional<TimestampOffset> max_timestamp() const;
    // The headers of every batch from the one containing `offset` to the end, in order (for
    // rebuilding producer state). Errc::OffsetOutOfRange outside [start, end].
    Result<std::vector<common::records::RecordBatchHeader>> batch_headers_from(
        int64_t offset) const;

    // fdatasync of everything appended since the last flush; then the recovery point is the
    // log end offset. One call covers any number of appends (group commit).
    Result<void> flush();
    // Persists the recovery point and log start offset when they changed.
    Result<void> checkpoint();
    // Deletes closed segments wholly below the log start offset and, with cleanup.policy=delete,
    // those past retention.ms / retention.bytes; never the active one; then compacts when the
    // policy includes compact. Returns how many segments were deleted.
    Result<int> run_retention(int64_t now_ms);
    // Compaction (cleanup.policy=compact; run_retention calls it): when enough closed segments
    // are new since the last pass (min.cleanable.dirty.ratio) or a kept tombstone has expired,
    // rewrites the closed segments older than min.compaction.lag.ms keeping the newest record
    // per key (log_compaction.h). Crash-safe: a crash leaves either segment whole.
    Result<CompactionStats> compact(int64_t now_ms);
    // DeleteRecords: moves the log start offset up to `offset` (<= log end offset) and persists
    // it before returning. Returns the new log start offset.
    Result<int64_t> delete_records_before(int64_t offset);
    // Removes every batch from the one containing `offset` on (a follower's truncation). The new
    // log end offset may be below `offset` if it fell inside a batch. Durable (flushed and
    // checkpointed) when it returns.
    Result<void> truncate_to(int64_t offset);
    // Deletes every segment and restarts the log empty at `offset` (log start = end = offset).
    // Durable when it returns. Restarting past the log end is crash-safe: the new log start is
    // checkpointed first, and open() completes an interrupted restart.
    Result<void> truncate_fully_and_start_at(int64_t offset);
    // Flush and checkpoint (a clean shutdown).
    Result<void> close();
    // Applies new settings (a topic config change); takes effect from the next append.
    Result<void> set_config(const LogConfig& config);

    int64_t log_start_offset() const { return log_start_; }
    int64_t log_end_offset() const { return segments_.rbegin()->second->next_offset(); }
    int64_t recovery_point() const { return recovery_point_; }
    uint64_t size_bytes() const;
    size_t segment_count() const { return segments_.size(); }
    const std::string& dir() const { return dir_; }
    const LogConfig& config() const { return config_; }
    bool offline() const { return offline_; }

  private:
    Log(FileIo& io, std::string dir, LogConfig config, Clock clock);

    Result<AppendInfo> append_batches(std::span<uint8_t> batches, bool assign_offsets,
                                      int32_t leader_epoch);
    Result<void> maybe_roll(uint64_t incoming_bytes, int64_t last_offset, int64_t now_ms);
    Result<void> roll(int64_t now_ms);
    Segment& active() const { return *segments_.rbegin()->second; }
    Result<void> delete_oldest_segment();
    bool wholly_below_start(const Segment& s) const;
    Result<int> delete_segments_while(const std::function<bool(const Segment&)>& expired);
    // Marks the log offline after an I/O error, logging it once.
    std::error_code fail(std::error_code ec, const char* what);

    // Compaction (log_compaction.cc).
    bool compaction_due(const std::vector<Segment*>& cleanable, int64_t now_ms) const;
    // Commits and installs `<base>.log.cleaned` in place of segment `base`; true when the
    // segment, left empty, was deleted (never the first one).
    Result<bool> replace_compacted(int64_t base, bool now_empty);

    // Recovery at open (log_recovery.cc).
    Result<void> load();
    Result<void> load_segments(const std::vector<int64_t>& bases, int64_t recovery_point);
    Result<void> recover_from(std::map<int64_t, std::unique_ptr<Segment>>::iterator it);
    Result<std::vector<int64_t>> scan_dir();

    FileIo& io_;
    std::string dir_;
    LogConfig config_;
    Clock clock_;
    std::map<int64_t, std::unique_ptr<Segment>> segments_;  // by base offset, never empty
    int64_t log_start_ = 0;
    int64_t recovery_point_ = 0;
    LogCheckpoint written_checkpoint_{-1, -1};
    bool dir_dirty_ = false;
    bool offline_ = false;
    // Compaction state (in memory: after a restart the first pass treats everything as new).
    int64_t cleaned_up_to_ = 0;                  // closed segments below this were compacted
    int64_t next_tombstone_expiry_ = INT64_MAX;  // when a kept tombstone may be dropped
};

}  // namespace broker::storage
