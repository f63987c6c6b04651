#pragma once
// IndexFile: the file under a sparse index (.index, .timeindex): fixed-size big-endian entries,
// appended one at a time, truncated to a whole number of entries. Owned by its index; used by
// the shard that owns the log.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "broker/storage/file_io.h"

namespace broker::storage {

class IndexFile {
  public:
    // Opens (creating when missing) the file at `path`; `entry_size` bytes per entry.
    static Result<IndexFile> open(FileIo& io, const std::string& path, size_t entry_size);

    // The whole file; `torn` is set when its length is not a whole number of entries.
    Result<std::vector<uint8_t>> read_all(bool& torn) const;
    Result<void> append(std::span<const uint8_t> entry);
    Result<void> truncate_entries(size_t count);
    Result<void> sync();
    const std::string& path() const { return path_; }

  private:
    IndexFile(std::shared_ptr<File> file, std::string path, size_t entry_size)
        : file_(std::move(file)), path_(std::move(path)), entry_size_(entry_size) {}

    std::shared_ptr<File> file_;
    std::string path_;
    size_t entry_size_;
};

// IndexEntries<Entry>: an index's file together with its entries in memory, ordered by
// `Entry::offset`. The parts every sparse index shares; owned by the index that wraps it.
template <class Entry>
struct IndexEntries {
    IndexFile file;
    std::vector<Entry> entries;
    bool torn = false;  // the file's length was not a whole number of entries

    // Drops every entry whose offset is >= `offset`, in the file and in memory.
    Result<void> truncate_from(int64_t offset) {
        auto it = std::lower_bound(entries.begin(), entries.end(), offset,
                                   [](const Entry& e, int64_t o) { return e.offset < o; });
        size_t keep = static_cast<size_t>(it - entries.begin());
        TRIBUTARY_TRY(file.truncate_entries(keep));
        entries.resize(keep);
        return common::ok();
    }

    // Drops every entry (before a rebuild).
    Result<void> reset() {
        TRIBUTARY_TRY(file.truncate_entries(0));
        entries.clear();
        torn = false;
        return common::ok();
    }
};

}  // namespace broker::storage
