#include "common/protocol/records/crc32c.h"

#include <array>
#include <bit>
#include <cstring>
#include <vector>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace common::records {
namespace {

constexpr uint32_t kPolyReflected = 0x82F63B78u;

using Tables = std::array<std::array<uint32_t, 256>, 8>;

// tables[0] is the classic byte table; tables[k][b] is the CRC of byte b followed by k zero bytes.
constexpr Tables make_tables() {
    Tables t{};
    for (uint32_t b = 0; b < 256; ++b) {
        uint32_t crc = b;
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc & 1u) ? (crc >> 1) ^ kPolyReflected : crc >> 1;
        }
        t[0][b] = crc;
    }
    for (uint32_t b = 0; b < 256; ++b) {
        for (size_t k = 1; k < 8; ++k) {
            const uint32_t prev = t[k - 1][b];
            t[k][b] = (prev >> 8) ^ t[0][prev & 0xFFu];
        }
    }
    return t;
}

constexpr Tables kTables = make_tables();

uint64_t load_le64(const uint8_t* p) {
    uint64_t v;
    std::memcpy(&v, p, sizeof v);
    if constexpr (std::endian::native == std::endian::big) {
        v = __builtin_bswap64(v);
    }
    return v;
}

bool detect_sse42() {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2");
#else
    return false;
#endif
}

}  // namespace

namespace crc32c_impl {

uint32_t extend_portable(uint32_t crc, std::span<const uint8_t> data) {
    uint32_t c = ~crc;
    const uint8_t* p = data.data();
    size_t n = data.size();
    while (n >= 8) {
        const uint64_t word = load_le64(p) ^ c;
        c = kTables[7][word & 0xFF] ^ kTables[6][(word >> 8) & 0xFF] ^
            kTables[5][(word >> 16) & 0xFF] ^ kTables[4][(word >> 24) & 0xFF] ^
            kTables[3][(word >> 32) & 0xFF] ^ kTables[2][(word >> 40) & 0xFF] ^
            kTables[1][(word >> 48) & 0xFF] ^ kTables[0][word >> 56];
        p += 8;
        n -= 8;
    }
    while (n > 0) {
        c = (c >> 8) ^ kTables[0][(c ^ *p) & 0xFF];
        ++p;
        --n;
    }
    return ~c;
}

#if defined(__x86_64__)
namespace {

// The crc32 instruction has a latency of several cycles but a throughput of one per cycle, so
// long inputs run as three interleaved streams over adjacent blocks of kBlock bytes, joined by
// "shift by kBlock zero bytes" (a linear map of the 32-bit state, applied by table lookups).
struct ZeroShift {
    std::array<std::array<uint32_t, 256>, 4> t;
    [[nodiscard]] uint32_t apply(uint32_t c) const {
        return t[0][c & 0xFF] ^ t[1][(c >> 8) & 0xFF] ^ t[2][(c >> 16) & 0xFF] ^ t[3][c >> 24];
    }
};

// The state after feeding `len` zero bytes to each single-bit state, combined per byte.
ZeroShift make_zero_shift(size_t len) {
    const std::vector<uint8_t> zeros(len, 0);
    std::array<uint32_t, 32> basis{};
    for (int bit = 0; bit < 32; ++bit) {
        // extend_portable inverts on entry and exit; undo both to get the raw state map.
        basis[bit] = ~crc32c_impl::extend_portable(~(1u << bit), zeros);
    }
    ZeroShift z{};
    for (int k = 0; k < 4; ++k) {
        for (uint32_t b = 0; b < 256; ++b) {
            uint32_t v = 0;
            for (int bit = 0; bit < 8; ++bit) {
                if (b & (1u << bit)) v ^= basis[8 * k + bit];
            }
            z.t[k][b] = v;
        }
    }
    return z;
}

template <size_t kBlock>
__attribute__((target("sse4.2"))) uint64_t three_way(uint64_t c, const uint8_t*& p, size_t& n) {
    static const ZeroShift shift = make_zero_shift(kBlock);
    while (n >= 3 * kBlock) {
        uint64_t c0 = c, c1 = 0, c2 = 0;
        for (size_t i = 0; i < kBlock; i += 8) {
            c0 = _mm_crc32_u64(c0, load_le64(p + i));
            c1 = _mm_crc32_u64(c1, load_le64(p + kBlock + i));
            c2 = _mm_crc32_u64(c2, load_le64(p + 2 * kBlock + i));
        }
        const uint32_t ab = shift.apply(static_cast<uint32_t>(c0)) ^ static_cast<uint32_t>(c1);
        c = shift.apply(ab) ^ static_cast<uint32_t>(c2);
        p += 3 * kBlock;
        n -= 3 * kBlock;
    }
    return c;
}

}  // namespace

__attribute__((target("sse4.2"))) uint32_t extend_sse42(uint32_t crc,
                                                        std::span<const uint8_t> data) {
    uint64_t c = ~crc;
    const uint8_t* p = data.data();
    size_t n = data.size();
    c = three_way<4096>(c, p, n);
    c = three_way<256>(c, p, n);
    while (n >= 8) {
        c = _mm_crc32_u64(c, load_le64(p));
        p += 8;
        n -= 8;
    }
    auto c32 = static_cast<uint32_t>(c);
    while (n > 0) {
        c32 = _mm_crc32_u8(c32, *p);
        ++p;
        --n;
    }
    return ~c32;
}
#else
uint32_t extend_sse42(uint32_t crc, std::span<const uint8_t> data) {
    return extend_portable(crc, data);
}
#endif

bool has_sse42() {
    static const bool has = detect_sse42();
    return has;
}

}  // namespace crc32c_impl

uint32_t crc32c_extend(uint32_t crc, std::span<const uint8_t> data) {
    static const auto impl =
        crc32c_impl::has_sse42() ? &crc32c_impl::extend_sse42 : &crc32c_impl::extend_portable;
    return impl(crc, data);
}

uint32_t crc32c(std::span<const uint8_t> data) {
    return crc32c_extend(0, data);
}

}  // namespace common::records
