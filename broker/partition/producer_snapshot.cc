#include "broker/partition/producer_snapshot.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "common/errc.h"
#include "common/log.h"
#include "common/protocol/records/big_endian.h"
#include "common/protocol/records/crc32c.h"

namespace broker::partition {
namespace {

namespace be = common::records::be;
namespace fs = std::filesystem;

constexpr uint32_t kMagic = 0x54505331;  // "TPS1"
constexpr size_t kHeaderSize = 4 + 8 + 4;
constexpr size_t kBatchSize = 4 + 4 + 8 + 8 + 8;
constexpr size_t kProducerHeaderSize = 8 + 2 + 1;

template <class T>
void put(std::vector<uint8_t>& out, T v) {
    uint8_t buf[sizeof(T)];
    be::store(buf, v);
    out.insert(out.end(), buf, buf + sizeof(T));
}

// Bounds-checked sequential reader over the snapshot image.
class Cursor {
  public:
    explicit Cursor(std::span<const uint8_t> b) : b_(b) {}
    template <class T>
    bool get(T& v) {
        if (b_.size() - pos_ < sizeof(T)) return false;
        v = be::load<T>(b_.data() + pos_);
        pos_ += sizeof(T);
        return true;
    }
    size_t remaining() const { return b_.size() - pos_; }

  private:
    std::span<const uint8_t> b_;
    size_t pos_ = 0;
};

std::string snapshot_name(int64_t offset) {
    char name[40];
    std::snprintf(name, sizeof(name), "%020lld", static_cast<long long>(offset));
    return std::string(name) + kSnapshotSuffix;
}

// Offsets of the snapshot files in `dir`, newest first.
std::vector<int64_t> list_snapshots(const fs::path& dir) {
    std::vector<int64_t> offsets;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (!name.ends_with(kSnapshotSuffix)) continue;
        const std::string digits =
            name.substr(0, name.size() - std::string(kSnapshotSuffix).size());
        if (digits.size() != 20 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) continue;
        offsets.push_back(std::stoll(digits));
    }
    std::sort(offsets.rbegin(), offsets.rend());
    return offsets;
}

common::Result<void> write_durably(const fs::path& path, const std::vector<uint8_t>& bytes) {
    const fs::path tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return common::Errc::IoError;
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n <= 0) {
            ::close(fd);
            return common::Errc::IoError;
        }
        done += static_cast<size_t>(n);
    }
    const bool synced = ::fdatasync(fd) == 0;
    ::close(fd);
    if (!synced || ::rename(tmp.c_str(), path.c_str()) != 0) return common::Errc::IoError;
    const int dfd = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return common::ok();
}

}  // namespace

std::vector<uint8_t> encode_producer_snapshot(const ProducerStateTable& table, int64_t offset) {
    std::vector<uint8_t> out;
    put<uint32_t>(out, kMagic);
    put<int64_t>(out, offset);
    put<uint32_t>(out, static_cast<uint32_t>(table.producers().size()));
    for (const auto& [pid, entry] : table.producers()) {
        put<int64_t>(out, pid);
        put<int16_t>(out, entry.epoch);
        put<uint8_t>(out, static_cast<uint8_t>(entry.batches.size()));
        for (const CachedBatch& b : entry.batches) {
            put<int32_t>(out, b.first_sequence);
            put<int32_t>(out, b.last_sequence);
            put<int64_t>(out, b.first_offset);
            put<int64_t>(out, b.last_offset);
            put<int64_t>(out, b.max_timestamp);
        }
    }
    put<uint32_t>(out, common::records::crc32c(out));
    return out;
}

common::Result<LoadedSnapshot> decode_producer_snapshot(std::span<const uint8_t> bytes) {
    if (bytes.size() < kHeaderSize + 4) return common::Errc::Truncated;
    const auto body = bytes.first(bytes.size() - 4);
    if (be::load<uint32_t>(bytes.data() + body.size()) != common::records::crc32c(body)) {
        return common::Errc::CorruptData;
    }
    Cursor c(body);
    uint32_t magic = 0;
    uint32_t count = 0;
    LoadedSnapshot loaded;
    c.get(magic);
    c.get(loaded.offset);
    c.get(count);
    if (magic != kMagic) return common::Errc::Malformed;
    if (count > c.remaining() / kProducerHeaderSize) return common::Errc::Malformed;
    for (uint32_t i = 0; i < count; ++i) {
        int64_t pid = 0;
        ProducerEntry entry;
        uint8_t batches = 0;
        if (!c.get(pid) || !c.get(entry.epoch) || !c.get(batches)) return common::Errc::Truncated;
        if (batches > ProducerStateTable::kRetainedBatches) return common::Errc::Malformed;
        if (c.remaining() < batches * kBatchSize) return common::Errc::Truncated;
        for (uint8_t j = 0; j < batches; ++j) {
            CachedBatch b;
            c.get(b.first_sequence);
            c.get(b.last_sequence);
            c.get(b.first_offset);
            c.get(b.last_offset);
            c.get(b.max_timestamp);
            entry.batches.push_back(b);
        }
        loaded.table.put(pid, std::move(entry));
    }
    if (c.remaining() != 0) return common::Errc::Malformed;
    return loaded;
}

common::Result<void> write_producer_snapshot(const fs::path& dir, const ProducerStateTable& table,
                                             int64_t offset, size_t keep) {
    TRIBUTARY_TRY(
        write_durably(dir / snapshot_name(offset), encode_producer_snapshot(table, offset)));
    const std::vector<int64_t> offsets = list_snapshots(dir);
    for (size_t i = keep; i < offsets.size(); ++i) {
        std::error_code ec;
        fs::remove(dir / snapshot_name(offsets[i]), ec);
    }
    return common::ok();
}

std::optional<LoadedSnapshot> load_latest_producer_snapshot(const fs::path& dir,
                                                            int64_t max_offset) {
    for (int64_t offset : list_snapshots(dir)) {
        if (offset > max_offset) continue;
        std::ifstream in(dir / snapshot_name(offset), std::ios::binary);
        const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                         std::istreambuf_iterator<char>());
        auto loaded = decode_producer_snapshot(bytes);
        if (loaded) return std::move(loaded).value();
        common::log::get("partition")
            ->warn("ignoring unreadable producer snapshot {} in {}: {}", offset, dir.string(),
                   loaded.error().message());
    }
    return std::nullopt;
}

}  // namespace broker::partition
