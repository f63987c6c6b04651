#include "common/cluster_id.h"

namespace common {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::optional<uint8_t> hex_value(char c) {
    if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<uint8_t>(c - 'A' + 10);
    return std::nullopt;
}

}  // namespace

std::string encode_cluster_id(const ClusterIdBytes& bytes) {
    // 16 bytes = 5 groups of 3 bytes (20 characters) + 1 byte (2 characters), no padding.
    std::string out;
    out.reserve(22);
    for (size_t i = 0; i < 15; i += 3) {
        uint32_t n = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
        for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(n >> shift) & 63];
    }
    out += kAlphabet[bytes[15] >> 2];
    out += kAlphabet[(bytes[15] & 3) << 4];
    return out;
}

bool is_valid_cluster_id(std::string_view id) {
    if (id.size() != 22) return false;
    for (char c : id) {
        if (kAlphabet.find(c) == std::string_view::npos) return false;
    }
    // The last character carries 2 bits of data and 4 zero bits.
    return (kAlphabet.find(id.back()) & 15) == 0;
}

std::optional<std::string> cluster_id_from_uuid(std::string_view uuid) {
    // 8-4-4-4-12 hex digits.
    if (uuid.size() != 36) return std::nullopt;
    ClusterIdBytes bytes{};
    size_t out = 0;
    for (size_t i = 0; i < uuid.size();) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (uuid[i] != '-') return std::nullopt;
            ++i;
            continue;
        }
        auto high = hex_value(uuid[i]);
        auto low = hex_value(uuid[i + 1]);
        if (!high || !low) return std::nullopt;
        bytes[out++] = static_cast<uint8_t>((*high << 4) | *low);
        i += 2;
    }
    // Like generated ids, never one starting with '-' (tools would take it for a flag): a first
    // byte encoding to '-' (its top six bits 62) loses its top bit and encodes to 'e'.
    if ((bytes[0] >> 2) == 62) bytes[0] &= 0x7F;
    return encode_cluster_id(bytes);
}

}  // namespace common
