#pragma once
// TimeIndex: a segment's sparse `.timeindex`: the largest timestamp seen so far -> the base
// offset of the batch where it was reached. On disk each entry is 12 bytes (timestamp, offset
// relative to the segment's base), big-endian; timestamps only grow. Owned by its Segment; used
// by the shard owning the log.

#include <optional>

#include "broker/storage/index_file.h"

namespace broker::storage {

class TimeIndex {
  public:
    struct Entry {
        int64_t timestamp;
        int64_t offset;
    };
    static constexpr size_t kEntrySize = 12;

    static Result<TimeIndex> open(FileIo& io, const std::string& path, int64_t base_offset);

    // True when the file held whole entries, increasing in timestamp and offset, all of them
    // below `next_offset`.
    bool intact(int64_t next_offset) const;
    // Adds an entry when `timestamp` exceeds the last one (otherwise a no-op).
    Result<void> append(int64_t timestamp, int64_t offset);
    // The last entry whose timestamp is < `timestamp`: every batch before its offset is older.
    std::optional<Entry> lookup_before(int64_t timestamp) const;
    std::optional<Entry> last() const;
    Result<void> truncate_from(int64_t offset) { return index_.truncate_from(offset); }
    Result<void> reset() { return index_.reset(); }
    Result<void> sync() { return index_.file.sync(); }

  private:
    TimeIndex(IndexFile file, int64_t base_offset)
        : index_{std::move(file), {}, false}, base_(base_offset) {}

    IndexEntries<Entry> index_;
    int64_t base_;
};

}  // namespace broker::storage
