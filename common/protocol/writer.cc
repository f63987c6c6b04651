#include "common/protocol/writer.h"

#include <bit>

namespace common::protocol {
namespace {

template <class U>
void append_big_endian(Bytes& buf, U v) {
    for (size_t i = sizeof(U); i-- > 0;) {
        buf.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
}

}  // namespace

void Writer::write_int8(int8_t v) {
    buf_.push_back(static_cast<uint8_t>(v));
}
void Writer::write_int16(int16_t v) {
    append_big_endian(buf_, static_cast<uint16_t>(v));
}
void Writer::write_int32(int32_t v) {
    append_big_endian(buf_, static_cast<uint32_t>(v));
}
void Writer::write_int64(int64_t v) {
    append_big_endian(buf_, static_cast<uint64_t>(v));
}
void Writer::write_uint16(uint16_t v) {
    append_big_endian(buf_, v);
}
void Writer::write_uint32(uint32_t v) {
    append_big_endian(buf_, v);
}
void Writer::write_float64(double v) {
    append_big_endian(buf_, std::bit_cast<uint64_t>(v));
}
void Writer::write_bool(bool v) {
    buf_.push_back(v ? 1 : 0);
}
void Writer::write_uuid(const Uuid& v) {
    buf_.insert(buf_.end(), v.begin(), v.end());
}

void Writer::write_uvarlong(uint64_t v) {
    while (v >= 0x80) {
        buf_.push_back(static_cast<uint8_t>(v | 0x80));
        v >>= 7;
    }
    buf_.push_back(static_cast<uint8_t>(v));
}

void Writer::write_uvarint(uint32_t v) {
    write_uvarlong(v);
}

void Writer::write_varint(int32_t v) {
    write_uvarint((static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31));
}

void Writer::write_varlong(int64_t v) {
    write_uvarlong((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

void Writer::write_string(std::string_view v, bool compact) {
    if (compact) {
        write_uvarint(static_cast<uint32_t>(v.size()) + 1);
    } else {
        write_int16(static_cast<int16_t>(v.size()));
    }
    buf_.insert(buf_.end(), v.begin(), v.end());
}

void Writer::write_nullable_string(const std::optional<std::string>& v, bool compact) {
    if (v) {
        write_string(*v, compact);
    } else if (compact) {
        write_uvarint(0);
    } else {
        write_int16(-1);
    }
}

void Writer::write_bytes(std::span<const uint8_t> v, bool compact) {
    write_array_length(static_cast<int32_t>(v.size()), compact);
    write_raw(v);
}

void Writer::write_nullable_bytes(const std::optional<Bytes>& v, bool compact) {
    if (v) {
        write_bytes(*v, compact);
    } else {
        write_array_length(-1, compact);
    }
}

void Writer::write_array_length(int32_t n, bool compact) {
    if (compact) {
        write_uvarint(static_cast<uint32_t>(n + 1));
    } else {
        write_int32(n);
    }
}

void Writer::write_raw(std::span<const uint8_t> v) {
    buf_.insert(buf_.end(), v.begin(), v.end());
}

void Writer::write_tagged_fields(const TaggedFields& fields) {
    write_uvarint(static_cast<uint32_t>(fields.size()));
    for (const auto& [tag, payload] : fields) {
        write_uvarint(tag);
        write_uvarint(static_cast<uint32_t>(payload.size()));
        write_raw(payload);
    }
}

void Writer::patch_int32(size_t pos, int32_t v) {
    const auto u = static_cast<uint32_t>(v);
    for (size_t i = 0; i < 4 && pos + i < buf_.size(); ++i) {
        buf_[pos + i] = static_cast<uint8_t>(u >> (8 * (3 - i)));
    }
}

}  // namespace common::protocol
