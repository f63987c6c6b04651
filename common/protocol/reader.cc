#include "common/protocol/reader.h"

#include <bit>
#include <cstring>

#include "common/errc.h"

namespace common::protocol {
namespace {

template <class U>
U load_big_endian(const uint8_t* p) {
    U v = 0;
    for (size_t i = 0; i < sizeof(U); ++i) {
        v = static_cast<U>((v << 8) | p[i]);
    }
    return v;
}

}  // namespace

Result<std::span<const uint8_t>> Reader::read_raw(size_t n) {
    if (n > remaining()) {
        return Errc::Truncated;
    }
    auto out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
}

Result<void> Reader::skip(size_t n) {
    if (n > remaining()) {
        return Errc::Truncated;
    }
    pos_ += n;
    return ok();
}

Result<int8_t> Reader::read_int8() {
    TRIBUTARY_TRY(raw, read_raw(1));
    return static_cast<int8_t>(raw[0]);
}

Result<int16_t> Reader::read_int16() {
    TRIBUTARY_TRY(raw, read_raw(2));
    return static_cast<int16_t>(load_big_endian<uint16_t>(raw.data()));
}

Result<int32_t> Reader::read_int32() {
    TRIBUTARY_TRY(raw, read_raw(4));
    return static_cast<int32_t>(load_big_endian<uint32_t>(raw.data()));
}

Result<int64_t> Reader::read_int64() {
    TRIBUTARY_TRY(raw, read_raw(8));
    return static_cast<int64_t>(load_big_endian<uint64_t>(raw.data()));
}

Result<uint16_t> Reader::read_uint16() {
    TRIBUTARY_TRY(raw, read_raw(2));
    return load_big_endian<uint16_t>(raw.data());
}

Result<uint32_t> Reader::read_uint32() {
    TRIBUTARY_TRY(raw, read_raw(4));
    return load_big_endian<uint32_t>(raw.data());
}

Result<double> Reader::read_float64() {
    TRIBUTARY_TRY(raw, read_raw(8));
    return std::bit_cast<double>(load_big_endian<uint64_t>(raw.data()));
}

Result<bool> Reader::read_bool() {
    TRIBUTARY_TRY(raw, read_raw(1));
    return raw[0] != 0;
}

Result<Uuid> Reader::read_uuid() {
    TRIBUTARY_TRY(raw, read_raw(16));
    Uuid out;
    std::memcpy(out.data(), raw.data(), out.size());
    return out;
}

Result<uint64_t> Reader::read_uvarlong() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        TRIBUTARY_TRY(raw, read_raw(1));
        const uint8_t b = raw[0];
        if (shift == 63 && (b & 0x7e) != 0) {
            return Errc::Malformed;  // more than 64 bits
        }
        value |= static_cast<uint64_t>(b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
            return value;
        }
    }
    return Errc::Malformed;
}

Result<uint32_t> Reader::read_uvarint() {
    uint32_t value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        TRIBUTARY_TRY(raw, read_raw(1));
        const uint8_t b = raw[0];
        if (shift == 28 && (b & 0xf0) != 0) {
            return Errc::Malformed;  // more than 32 bits
        }
        value |= static_cast<uint32_t>(b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
            return value;
        }
    }
    return Errc::Malformed;
}

Result<int32_t> Reader::read_varint() {
    TRIBUTARY_TRY(u, read_uvarint());
    return static_cast<int32_t>((u >> 1) ^ (~(u & 1) + 1));
}

Result<int64_t> Reader::read_varlong() {
    TRIBUTARY_TRY(u, read_uvarlong());
    return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

Result<int64_t> Reader::read_length(bool compact, bool int16_length) {
    int64_t n = 0;
    if (compact) {
        TRIBUTARY_TRY(u, read_uvarint());
        n = static_cast<int64_t>(u) - 1;
    } else if (int16_length) {
        TRIBUTARY_TRY(s, read_int16());
        n = s;
    } else {
        TRIBUTARY_TRY(s, read_int32());
        n = s;
    }
    if (n < -1) {
        return Errc::Malformed;
    }
    if (n > static_cast<int64_t>(remaining())) {
        return Errc::Truncated;
    }
    return n;
}

Result<std::optional<std::string>> Reader::read_nullable_string(bool compact) {
    TRIBUTARY_TRY(n, read_length(compact, true));
    if (n < 0) {
        return std::optional<std::string>{};
    }
    if (n > kMaxStringLength) {
        return Errc::TooLarge;
    }
    TRIBUTARY_TRY(raw, read_raw(static_cast<size_t>(n)));
    return std::optional<std::string>{std::string(raw.begin(), raw.end())};
}

Result<std::string> Reader::read_string(bool compact) {
    TRIBUTARY_TRY(s, read_nullable_string(compact));
    if (!s) {
        return Errc::Malformed;  // null where the field is not nullable
    }
    return std::move(*s);
}

Result<std::optional<Bytes>> Reader::read_nullable_bytes(bool compact) {
    TRIBUTARY_TRY(n, read_length(compact, false));
    if (n < 0) {
        return std::optional<Bytes>{};
    }
    TRIBUTARY_TRY(raw, read_raw(static_cast<size_t>(n)));
    return std::optional<Bytes>{Bytes(raw.begin(), raw.end())};
}

Result<Bytes> Reader::read_bytes(bool compact) {
    TRIBUTARY_TRY(b, read_nullable_bytes(compact));
    if (!b) {
        return Errc::Malformed;
    }
    return std::move(*b);
}

Result<int32_t> Reader::read_array_length(bool compact) {
    TRIBUTARY_TRY(n, read_length(compact, false));
    return static_cast<int32_t>(n);
}

Result<TaggedFields> Reader::read_tagged_fields() {
    TRIBUTARY_TRY(count, read_uvarint());
    TaggedFields out;
    for (uint32_t i = 0; i < count; ++i) {
        TRIBUTARY_TRY(tag, read_uvarint());
        TRIBUTARY_TRY(size, read_uvarint());
        TRIBUTARY_TRY(raw, read_raw(size));
        out.emplace_back(tag, Bytes(raw.begin(), raw.end()));
    }
    return out;
}

Result<void> Reader::skip_tagged_fields() {
    TRIBUTARY_TRY(count, read_uvarint());
    for (uint32_t i = 0; i < count; ++i) {
        TRIBUTARY_TRY(read_uvarint());
        TRIBUTARY_TRY(size, read_uvarint());
        TRIBUTARY_TRY(skip(size));
    }
    return ok();
}

}  // namespace common::protocol
