#pragma once
// Reader: a bounds-checked cursor over a borrowed byte span (big-endian Kafka encodings).
// Owns nothing: the span must outlive the reader. Single-threaded, cheap to copy.
// Every read returns a Result and never moves past the end of the span; on error the position
// is unspecified and the reader should be discarded.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/protocol/types.h"
#include "common/result.h"

namespace common::protocol {

class Reader {
  public:
    // Longest string accepted (Kafka strings carry an int16 length, compact ones are capped alike).
    static constexpr uint32_t kMaxStringLength = 0x7fff;

    explicit Reader(std::span<const uint8_t> data) : data_(data) {}

    [[nodiscard]] size_t position() const { return pos_; }
    [[nodiscard]] size_t remaining() const { return data_.size() - pos_; }
    [[nodiscard]] bool at_end() const { return pos_ == data_.size(); }

    [[nodiscard]] Result<int8_t> read_int8();
    [[nodiscard]] Result<int16_t> read_int16();
    [[nodiscard]] Result<int32_t> read_int32();
    [[nodiscard]] Result<int64_t> read_int64();
    [[nodiscard]] Result<uint16_t> read_uint16();
    [[nodiscard]] Result<uint32_t> read_uint32();
    [[nodiscard]] Result<double> read_float64();
    [[nodiscard]] Result<bool> read_bool();
    [[nodiscard]] Result<Uuid> read_uuid();

    // Zig-zag signed varints (record fields) and unsigned varints (compact lengths, tags).
    [[nodiscard]] Result<int32_t> read_varint();
    [[nodiscard]] Result<int64_t> read_varlong();
    [[nodiscard]] Result<uint32_t> read_uvarint();
    [[nodiscard]] Result<uint64_t> read_uvarlong();

    // Strings and bytes: `compact` selects the flexible-version encoding (uvarint N+1).
    [[nodiscard]] Result<std::string> read_string(bool compact);
    [[nodiscard]] Result<std::optional<std::string>> read_nullable_string(bool compact);
    [[nodiscard]] Result<Bytes> read_bytes(bool compact);
    [[nodiscard]] Result<std::optional<Bytes>> read_nullable_bytes(bool compact);

    // An array's element count; -1 means null. A count larger than the bytes left is refused,
    // so a hostile count cannot make the caller allocate more than the input's size.
    [[nodiscard]] Result<int32_t> read_array_length(bool compact);

    // The next n bytes as a view into the span, advancing past them.
    [[nodiscard]] Result<std::span<const uint8_t>> read_raw(size_t n);
    [[nodiscard]] Result<void> skip(size_t n);

    // A tagged-field buffer: kept as raw (tag, payload) pairs, or skipped.
    [[nodiscard]] Result<TaggedFields> read_tagged_fields();
    [[nodiscard]] Result<void> skip_tagged_fields();

  private:
    // Length of a string/bytes field: -1 for null, else the byte count (checked against remaining).
    Result<int64_t> read_length(bool compact, bool int16_length);

    std::span<const uint8_t> data_;
    size_t pos_ = 0;
};

}  // namespace common::protocol
