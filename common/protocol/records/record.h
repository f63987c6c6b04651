#pragma once
// One record inside a v2 batch, decoded as a view: keys, values and headers point into the
// buffer the record was decoded from (the batch, or its decompressed payload), which must
// outlive the view.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace common::records {

using ByteView = std::span<const uint8_t>;

struct RecordHeaderView {
    std::string_view key;
    std::optional<ByteView> value;  // nullopt: a null header value
};

struct Record {
    int8_t attributes = 0;
    int64_t timestamp_delta = 0;
    int32_t offset_delta = 0;
    std::optional<ByteView> key;    // nullopt: a null key
    std::optional<ByteView> value;  // nullopt: a null value (a tombstone)
    std::vector<RecordHeaderView> headers;
};

// Decodes the record at `pos` of `in` (length varint, attributes, timestamp delta, offset delta,
// key, value, headers) and advances `pos` past it. Errors: Truncated, Malformed (a negative
// length other than -1 for null, a negative header count, or a body that does not fill exactly
// its declared length).
[[nodiscard]] Result<Record> decode_record(std::span<const uint8_t> in, size_t& pos);

}  // namespace common::records
