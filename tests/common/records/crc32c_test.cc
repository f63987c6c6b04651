#include "common/protocol/records/crc32c.h"

#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace common::records {
namespace {

std::span<const uint8_t> bytes_of(std::string_view s) {
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

struct Vector {
    std::vector<uint8_t> data;
    uint32_t crc;
};

// Published CRC-32C check values (RFC 3720 appendix B.4 and the "123456789" check value).
std::vector<Vector> known_vectors() {
    std::vector<Vector> v;
    v.push_back({std::vector<uint8_t>(32, 0x00), 0x8A9136AAu});
    v.push_back({std::vector<uint8_t>(32, 0xFF), 0x62A8AB43u});
    std::vector<uint8_t> up(32), down(32);
    for (uint8_t i = 0; i < 32; ++i) {
        up[i] = i;
        down[i] = static_cast<uint8_t>(31 - i);
    }
    v.push_back({up, 0x46DD794Eu});
    v.push_back({down, 0x113FDB5Cu});
    auto check = bytes_of("123456789");
    v.push_back({{check.begin(), check.end()}, 0xE3069283u});
    v.push_back({{}, 0x00000000u});
    return v;
}

TEST(Crc32c, MatchesPublishedCheckValues) {
    for (const auto& v : known_vectors()) {
        EXPECT_EQ(crc32c(v.data), v.crc);
    }
}

TEST(Crc32c, PortableImplementationMatchesPublishedCheckValues) {
    for (const auto& v : known_vectors()) {
        EXPECT_EQ(crc32c_impl::extend_portable(0, v.data), v.crc);
    }
}

TEST(Crc32c, Sse42ImplementationMatchesPublishedCheckValuesWhenTheCpuHasIt) {
    // Without SSE4.2 the dispatcher must have chosen the portable code; the check values above
    // then cover everything that runs.
    for (const auto& v : known_vectors()) {
        if (crc32c_impl::has_sse42()) {
            EXPECT_EQ(crc32c_impl::extend_sse42(0, v.data), v.crc);
        } else {
            EXPECT_EQ(crc32c(v.data), crc32c_impl::extend_portable(0, v.data));
        }
    }
}

TEST(Crc32c, ExtendingInPiecesEqualsOneShot) {
    auto s = bytes_of("The quick brown fox jumps over the lazy dog, twice over.");
    const uint32_t whole = crc32c(s);
    for (size_t cut = 0; cut <= s.size(); ++cut) {
        EXPECT_EQ(crc32c_extend(crc32c(s.first(cut)), s.subspan(cut)), whole) << cut;
    }
}

TEST(Crc32c, BothImplementationsAgreeOnRandomDataOfEveryAlignmentAndLength) {
    std::mt19937_64 rng(20261122);
    // Lengths up to 40 KiB reach both interleaved block sizes of the SSE4.2 path and their tails.
    std::vector<uint8_t> buf(40 * 1024 + 16);
    for (auto& b : buf) {
        b = static_cast<uint8_t>(rng());
    }
    const bool sse = crc32c_impl::has_sse42();
    for (int i = 0; i < 2000; ++i) {
        const size_t offset = rng() % 16;
        const size_t len = (i % 4 == 0) ? rng() % (40 * 1024) : rng() % 1024;
        auto s = std::span<const uint8_t>(buf).subspan(offset, len);
        const uint32_t seed = static_cast<uint32_t>(rng());
        const uint32_t portable = crc32c_impl::extend_portable(seed, s);
        if (sse) {
            ASSERT_EQ(crc32c_impl::extend_sse42(seed, s), portable) << offset << " " << len;
        }
        ASSERT_EQ(crc32c_extend(seed, s), portable);
    }
    // Exactly at, just below and just above the interleaved block boundaries.
    for (size_t len : {767u, 768u, 769u, 12287u, 12288u, 12289u, 12288u + 768u, 24576u + 775u}) {
        auto s = std::span<const uint8_t>(buf).first(len);
        EXPECT_EQ(crc32c_extend(12345, s), crc32c_impl::extend_portable(12345, s)) << len;
    }
}

}  // namespace
}  // namespace common::records
