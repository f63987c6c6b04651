#include "broker/storage/offset_index.h"

#include <algorithm>
#include <array>

namespace broker::storage {

Result<OffsetIndex> OffsetIndex::open(FileIo& io, const std::string& path, int64_t base_offset) {
    TRIBUTARY_TRY(file, IndexFile::open(io, path, kEntrySize));
    OffsetIndex index(std::move(file), base_offset);
    TRIBUTARY_TRY(bytes, index.file_.read_all(index.torn_));
    for (size_t i = 0; i + kEntrySize <= bytes.size(); i += kEntrySize) {
        index.entries_.push_back({base_offset + get_be32(&bytes[i]), get_be32(&bytes[i + 4])});
    }
    return index;
}

bool OffsetIndex::intact(uint64_t log_size) const {
    if (torn_) return false;
    for (size_t i = 0; i < entries_.size(); ++i) {
        if (entries_[i].position >= log_size) return false;
        if (i > 0 && (entries_[i].offset <= entries_[i - 1].offset ||
                      entries_[i].position <= entries_[i - 1].position)) {
            return false;
        }
    }
    return true;
}

Result<void> OffsetIndex::append(int64_t offset, uint32_t position) {
    if (offset < base_ || offset - base_ > int64_t{UINT32_MAX}) return common::ok();
    if (!entries_.empty() &&
        (offset <= entries_.back().offset || position <= entries_.back().position)) {
        return common::ok();
    }
    std::array<uint8_t, kEntrySize> raw{};
    put_be32(raw.data(), static_cast<uint32_t>(offset - base_));
    put_be32(raw.data() + 4, position);
    TRIBUTARY_TRY(file_.append(raw));
    entries_.push_back({offset, position});
    return common::ok();
}

std::optional<OffsetIndex::Entry> OffsetIndex::lookup(int64_t offset) const {
    auto it = std::upper_bound(entries_.begin(), entries_.end(), offset,
                               [](int64_t o, const Entry& e) { return o < e.offset; });
    if (it == entries_.begin()) return std::nullopt;
    return *std::prev(it);
}

Result<void> OffsetIndex::truncate_from(int64_t offset) {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), offset,
                               [](const Entry& e, int64_t o) { return e.offset < o; });
    size_t keep = static_cast<size_t>(it - entries_.begin());
    TRIBUTARY_TRY(file_.truncate_entries(keep));
    entries_.resize(keep);
    return common::ok();
}

Result<void> OffsetIndex::reset() {
    TRIBUTARY_TRY(file_.truncate_entries(0));
    entries_.clear();
    torn_ = false;
    return common::ok();
}

}  // namespace broker::storage
