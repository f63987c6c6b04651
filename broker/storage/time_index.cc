#include "broker/storage/time_index.h"

#include <algorithm>
#include <array>

namespace broker::storage {

Result<TimeIndex> TimeIndex::open(FileIo& io, const std::string& path, int64_t base_offset) {
    TRIBUTARY_TRY(file, IndexFile::open(io, path, kEntrySize));
    TimeIndex index(std::move(file), base_offset);
    TRIBUTARY_TRY(bytes, index.file_.read_all(index.torn_));
    for (size_t i = 0; i + kEntrySize <= bytes.size(); i += kEntrySize) {
        index.entries_.push_back(
            {static_cast<int64_t>(get_be64(&bytes[i])), base_offset + get_be32(&bytes[i + 8])});
    }
    return index;
}

bool TimeIndex::intact(int64_t next_offset) const {
    if (torn_) return false;
    for (size_t i = 0; i < entries_.size(); ++i) {
        if (entries_[i].offset >= next_offset) return false;
        if (i > 0 && (entries_[i].timestamp <= entries_[i - 1].timestamp ||
                      entries_[i].offset < entries_[i - 1].offset)) {
            return false;
        }
    }
    return true;
}

Result<void> TimeIndex::append(int64_t timestamp, int64_t offset) {
    if (offset < base_ || offset - base_ > int64_t{UINT32_MAX}) return common::ok();
    if (!entries_.empty() &&
        (timestamp <= entries_.back().timestamp || offset < entries_.back().offset)) {
        return common::ok();
    }
    std::array<uint8_t, kEntrySize> raw{};
    put_be64(raw.data(), static_cast<uint64_t>(timestamp));
    put_be32(raw.data() + 8, static_cast<uint32_t>(offset - base_));
    TRIBUTARY_TRY(file_.append(raw));
    entries_.push_back({timestamp, offset});
    return common::ok();
}

std::optional<TimeIndex::Entry> TimeIndex::lookup_before(int64_t timestamp) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), timestamp,
                               [](const Entry& e, int64_t t) { return e.timestamp < t; });
    if (it == entries_.begin()) return std::nullopt;
    return *std::prev(it);
}

std::optional<TimeIndex::Entry> TimeIndex::last() const {
    if (entries_.empty()) return std::nullopt;
    return entries_.back();
}

Result<void> TimeIndex::truncate_from(int64_t offset) {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), offset,
                               [](const Entry& e, int64_t o) { return e.offset < o; });
    size_t keep = static_cast<size_t>(it - entries_.begin());
    TRIBUTARY_TRY(file_.truncate_entries(keep));
    entries_.resize(keep);
    return common::ok();
}

Result<void> TimeIndex::reset() {
    TRIBUTARY_TRY(file_.truncate_entries(0));
    entries_.clear();
    torn_ = false;
    return common::ok();
}

}  // namespace broker::storage
