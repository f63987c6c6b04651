#include "broker/storage/offset_index.h"

#include <algorithm>
#include <array>

#include "common/protocol/records/big_endian.h"

namespace broker::storage {

namespace be = common::records::be;

Result<OffsetIndex> OffsetIndex::open(FileIo& io, const std::string& path, int64_t base_offset) {
    TRIBUTARY_TRY(file, IndexFile::open(io, path, kEntrySize));
    OffsetIndex index(std::move(file), base_offset);
    TRIBUTARY_TRY(bytes, index.index_.file.read_all(index.index_.torn));
    for (size_t i = 0; i + kEntrySize <= bytes.size(); i += kEntrySize) {
        index.index_.entries.push_back(
            {base_offset + be::load<uint32_t>(&bytes[i]), be::load<uint32_t>(&bytes[i + 4])});
    }
    return index;
}

bool OffsetIndex::intact(uint64_t log_size) const {
    if (index_.torn) return false;
    for (size_t i = 0; i < index_.entries.size(); ++i) {
        if (index_.entries[i].position >= log_size) return false;
        if (i > 0 && (index_.entries[i].offset <= index_.entries[i - 1].offset ||
                      index_.entries[i].position <= index_.entries[i - 1].position)) {
            return false;
        }
    }
    return true;
}

Result<void> OffsetIndex::append(int64_t offset, uint32_t position) {
    if (offset < base_ || offset - base_ > int64_t{UINT32_MAX}) return common::ok();
    if (!index_.entries.empty() &&
        (offset <= index_.entries.back().offset || position <= index_.entries.back().position)) {
        return common::ok();
    }
    std::array<uint8_t, kEntrySize> raw{};
    be::store<uint32_t>(raw.data(), static_cast<uint32_t>(offset - base_));
    be::store<uint32_t>(raw.data() + 4, position);
    TRIBUTARY_TRY(index_.file.append(raw));
    index_.entries.push_back({offset, position});
    return common::ok();
}

std::optional<OffsetIndex::Entry> OffsetIndex::lookup(int64_t offset) const {
    auto it = std::upper_bound(index_.entries.begin(), index_.entries.end(), offset,
                               [](int64_t o, const Entry& e) { return o < e.offset; });
    if (it == index_.entries.begin()) return std::nullopt;
    return *std::prev(it);
}

}  // namespace broker::storage
