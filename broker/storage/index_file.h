#pragma once
// IndexFile: the file under a sparse index (.index, .timeindex): fixed-size big-endian entries,
// appended one at a time, truncated to a whole number of entries. Owned by its index; used by
// the shard that owns the log.

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

// Big-endian field helpers shared by the index codecs.
inline void put_be32(uint8_t* p, uint32_t v) {
    for (int i = 3; i >= 0; --i, v >>= 8) p[i] = static_cast<uint8_t>(v);
}
inline void put_be64(uint8_t* p, uint64_t v) {
    for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<uint8_t>(v);
}
inline uint32_t get_be32(const uint8_t* p) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | p[i];
    return v;
}
inline uint64_t get_be64(const uint8_t* p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
    return v;
}

}  // namespace broker::storage
