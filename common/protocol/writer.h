#pragma once
// Writer: appends big-endian Kafka encodings to an owned, growing byte buffer.
// Single-threaded; move the buffer out with take() when done.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/protocol/types.h"

namespace common::protocol {

class Writer {
  public:
    Writer() = default;

    [[nodiscard]] const Bytes& data() const { return buf_; }
    [[nodiscard]] size_t size() const { return buf_.size(); }
    [[nodiscard]] Bytes take() { return std::move(buf_); }

    void write_int8(int8_t v);
    void write_int16(int16_t v);
    void write_int32(int32_t v);
    void write_int64(int64_t v);
    void write_uint16(uint16_t v);
    void write_uint32(uint32_t v);
    void write_float64(double v);
    void write_bool(bool v);
    void write_uuid(const Uuid& v);

    void write_varint(int32_t v);
    void write_varlong(int64_t v);
    void write_uvarint(uint32_t v);
    void write_uvarlong(uint64_t v);

    // `compact` selects the flexible-version encoding (uvarint N+1, 0 for null).
    void write_string(std::string_view v, bool compact);
    void write_nullable_string(const std::optional<std::string>& v, bool compact);
    void write_bytes(std::span<const uint8_t> v, bool compact);
    void write_nullable_bytes(const std::optional<Bytes>& v, bool compact);
    // An array's element count; -1 writes null.
    void write_array_length(int32_t n, bool compact);

    void write_raw(std::span<const uint8_t> v);
    void write_tagged_fields(const TaggedFields& fields);
    // Overwrites four bytes already written at `pos` (e.g. a frame size placeholder).
    void patch_int32(size_t pos, int32_t v);

  private:
    Bytes buf_;
};

}  // namespace common::protocol
