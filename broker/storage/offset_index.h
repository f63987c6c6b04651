#pragma once
// OffsetIndex: a segment's sparse `.index`: batch base offset -> file position of that batch.
// On disk each entry is 8 bytes (offset relative to the segment's base, position), big-endian.
// The entries are also kept in memory. Owned by its Segment; used by the shard owning the log.

#include <optional>

#include "broker/storage/index_file.h"

namespace broker::storage {

class OffsetIndex {
  public:
    struct Entry {
        int64_t offset;
        uint32_t position;
    };
    static constexpr size_t kEntrySize = 8;

    // Opens (creating when missing) and loads the index; `intact()` says whether what was read
    // is usable for a log file of `log_size` bytes.
    static Result<OffsetIndex> open(FileIo& io, const std::string& path, int64_t base_offset);

    // True when the file held whole entries, increasing in offset and position, all of them
    // inside a log file of `log_size` bytes.
    bool intact(uint64_t log_size) const;
    // Adds an entry; offsets and positions must increase (a caller bug otherwise: ignored).
    Result<void> append(int64_t offset, uint32_t position);
    // The last entry whose offset is <= `offset`, if any.
    std::optional<Entry> lookup(int64_t offset) const;
    // Drops every entry whose offset is >= `offset`.
    Result<void> truncate_from(int64_t offset) { return index_.truncate_from(offset); }
    // Drops every entry (before a rebuild).
    Result<void> reset() { return index_.reset(); }
    Result<void> sync() { return index_.file.sync(); }

    const std::vector<Entry>& entries() const { return index_.entries; }

  private:
    OffsetIndex(IndexFile file, int64_t base_offset)
        : index_{std::move(file), {}, false}, base_(base_offset) {}

    IndexEntries<Entry> index_;
    int64_t base_;
};

}  // namespace broker::storage
