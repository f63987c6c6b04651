#pragma once
// Log compaction (cleanup.policy=compact): the pieces Log::compact() runs on closed segments.
// A pass maps every key of the closed segments to its newest offset, then rewrites each closed
// segment that holds a record no longer needed: a record survives when it is its key's newest
// (records without a key always survive), a tombstone (null value) only until
// delete.retention.ms after its timestamp. Offsets are kept (holes are fine), so are batch
// headers (base offset, last offset delta, producer fields, timestamps); a batch whose records
// all survive is copied byte for byte, a partly kept one is re-encoded with its codec, an empty
// one is dropped.
//
// Crash safety, one segment at a time (LevelDB-style: the new file is complete and durable before
// anything points at it):
//   1. write_cleaned_segment:   <base>.log.cleaned with the kept batches, fdatasync'ed
//   2. commit_cleaned_segment:  rename to <base>.log.swap, directory synced  (the commit point)
//   3. install_swapped_segment: remove the old <base>.log and its indexes, rename the swap file
//                               to <base>.log, directory synced
// A crash before 2 leaves the old segment (the .cleaned file is removed at open); a crash after 2
// is completed at open by finish_interrupted_compactions(). Readers that hold the old file keep
// reading it until they let go. Free functions; the caller (the log's shard) serializes them.

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>

#include "broker/storage/file_io.h"

namespace broker::storage {

// The newest offset of each key seen so far. Owned by one compaction pass.
class KeyOffsetMap {
  public:
    void put(std::span<const uint8_t> key, int64_t offset);
    // The newest offset recorded for `key`, or -1.
    int64_t latest(std::span<const uint8_t> key) const;
    size_t size() const { return map_.size(); }

  private:
    std::unordered_map<std::string, int64_t> map_;
};

// When tombstones expire: those older than now_ms - delete_retention_ms are dropped.
struct CleanRules {
    int64_t now_ms = 0;
    int64_t delete_retention_ms = 0;
};

// What rewriting one segment kept and dropped.
struct CleanedSegment {
    bool written = false;  // false: nothing to drop, no .cleaned file was written
    uint64_t bytes_before = 0;
    uint64_t bytes_after = 0;
    int64_t records_removed = 0;
    int64_t records_kept = 0;
    // When the oldest tombstone kept here may be dropped (INT64_MAX: none kept).
    int64_t next_tombstone_expiry_ms = INT64_MAX;
};

// What one Log::compact() pass did.
struct CompactionStats {
    int segments_rewritten = 0;
    int segments_removed = 0;  // emptied by compaction and deleted
    int64_t records_removed = 0;
    uint64_t bytes_before = 0;  // of the rewritten segments
    uint64_t bytes_after = 0;
};

// Records the offset of every keyed record of the segment file at `log_path` in `keys`.
[[nodiscard]] Result<void> add_segment_keys(FileIo& io, const std::string& log_path,
                                            KeyOffsetMap& keys);

// Step 1: writes and syncs `<base>.log.cleaned` in `dir` from the segment file at `log_path`,
// keeping what `keys` and `rules` keep. Writes nothing when every record survives.
[[nodiscard]] Result<CleanedSegment> write_cleaned_segment(FileIo& io, const std::string& dir,
                                                           const std::string& log_path,
                                                           int64_t base, const KeyOffsetMap& keys,
                                                           const CleanRules& rules);
// Step 2 (the commit point) and step 3, as described above.
[[nodiscard]] Result<void> commit_cleaned_segment(FileIo& io, const std::string& dir, int64_t base);
[[nodiscard]] Result<void> install_swapped_segment(FileIo& io, const std::string& dir,
                                                   int64_t base);

// At open, before segments are listed: removes `.cleaned` leftovers and installs every `.swap`.
[[nodiscard]] Result<void> finish_interrupted_compactions(FileIo& io, const std::string& dir);

}  // namespace broker::storage
