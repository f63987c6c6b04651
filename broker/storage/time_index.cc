#include "broker/storage/time_index.h"

#include <algorithm>
#include <array>

#include "common/protocol/records/big_endian.h"

namespace broker::storage {

namespace be = common::records::be;

Result<TimeIndex> TimeIndex::open(FileIo& io, const std::string& path, int64_t base_offset) {
    TRIBUTARY_TRY(file, IndexFile::open(io, path, kEntrySize));
    TimeIndex index(std::move(file), base_offset);
    TRIBUTARY_TRY(bytes, index.index_.file.read_all(index.index_.torn));
    for (size_t i = 0; i + kEntrySize <= bytes.size(); i += kEntrySize) {
        index.index_.entries.push_back({static_cast<int64_t>(be::load<uint64_t>(&bytes[i])),
                                        base_offset + be::load<uint32_t>(&bytes[i + 8])});
    }
    return index;
}

bool TimeIndex::intact(int64_t next_offset) const {
    if (index_.torn) return false;
    for (size_t i = 0; i < index_.entries.size(); ++i) {
        if (index_.entries[i].offset >= next_offset) return false;
        if (i > 0 && (index_.entries[i].timestamp <= index_.entries[i - 1].timestamp ||
                      index_.entries[i].offset < index_.entries[i - 1].offset)) {
            return false;
        }
    }
    return true;
}

Result<void> TimeIndex::append(int64_t timestamp, int64_t offset) {
    if (offset < base_ || offset - base_ > int64_t{UINT32_MAX}) return common::ok();
    if (!index_.entries.empty() &&
        (timestamp <= index_.entries.back().timestamp || offset < index_.entries.back().offset)) {
        return common::ok();
    }
    std::array<uint8_t, kEntrySize> raw{};
    be::store<uint64_t>(raw.data(), static_cast<uint64_t>(timestamp));
    be::store<uint32_t>(raw.data() + 8, static_cast<uint32_t>(offset - base_));
    TRIBUTARY_TRY(index_.file.append(raw));
    index_.entries.push_back({timestamp, offset});
    return common::ok();
}

std::optional<TimeIndex::Entry> TimeIndex::lookup_before(int64_t timestamp) const {
    auto it = std::lower_bound(index_.entries.begin(), index_.entries.end(), timestamp,
                               [](const Entry& e, int64_t t) { return e.timestamp < t; });
    if (it == index_.entries.begin()) return std::nullopt;
    return *std::prev(it);
}

std::optional<TimeIndex::Entry> TimeIndex::last() const {
    if (index_.entries.empty()) return std::nullopt;
    return index_.entries.back();
}

}  // namespace broker::storage
