#include "common/protocol/records/varint.h"

#include "common/errc.h"

namespace common::records {
namespace {

void put_unsigned(std::vector<uint8_t>& out, uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<uint8_t>(v | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<uint8_t>(v));
}

Result<uint64_t> get_unsigned(std::span<const uint8_t> in, size_t& pos, size_t max_bytes) {
    uint64_t v = 0;
    for (size_t i = 0; i < max_bytes; ++i) {
        if (pos + i >= in.size()) {
            return Errc::Truncated;
        }
        const uint8_t b = in[pos + i];
        v |= static_cast<uint64_t>(b & 0x7F) << (7 * i);
        if ((b & 0x80) == 0) {
            pos += i + 1;
            return v;
        }
    }
    return Errc::Malformed;
}

}  // namespace

void put_varint(std::vector<uint8_t>& out, int32_t value) {
    const auto u = static_cast<uint32_t>(value);
    put_unsigned(out, (u << 1) ^ static_cast<uint32_t>(value >> 31));
}

void put_varlong(std::vector<uint8_t>& out, int64_t value) {
    const auto u = static_cast<uint64_t>(value);
    put_unsigned(out, (u << 1) ^ static_cast<uint64_t>(value >> 63));
}

size_t varint_size(int32_t value) {
    uint32_t v = (static_cast<uint32_t>(value) << 1) ^ static_cast<uint32_t>(value >> 31);
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        ++n;
    }
    return n;
}

Result<int32_t> get_varint(std::span<const uint8_t> in, size_t& pos) {
    TRIBUTARY_TRY(raw, get_unsigned(in, pos, 5));
    const auto u = static_cast<uint32_t>(raw);  // bits past 32 are dropped, as Kafka does
    return static_cast<int32_t>((u >> 1) ^ (~(u & 1) + 1));
}

Result<int64_t> get_varlong(std::span<const uint8_t> in, size_t& pos) {
    TRIBUTARY_TRY(u, get_unsigned(in, pos, 10));
    return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

}  // namespace common::records
