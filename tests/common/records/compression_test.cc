#include "common/protocol/records/compression.h"

#include <random>
#include <string>

#include <gtest/gtest.h>
#include <zstd.h>

#include "common/errc.h"

namespace common::records {
namespace {

constexpr Codec kCodecs[] = {Codec::None, Codec::Gzip, Codec::Snappy, Codec::Lz4, Codec::Zstd};
constexpr size_t kCap = 64 * 1024 * 1024;

// Compressible but not trivial: words from a small vocabulary mixed with random bytes.
Bytes sample(size_t n, uint64_t seed) {
    std::mt19937_64 rng(seed);
    static const std::string kWords[] = {"offset ", "partition ", "leader ", "epoch ", "topic "};
    Bytes out;
    while (out.size() < n) {
        if (rng() % 4 == 0) {
            out.push_back(static_cast<uint8_t>(rng()));
        } else {
            const auto& w = kWords[rng() % 5];
            out.insert(out.end(), w.begin(), w.end());
        }
    }
    out.resize(n);
    return out;
}

class EachCodec : public ::testing::TestWithParam<Codec> {};

TEST_P(EachCodec, RoundTripsInputsOfManySizes) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{100}, size_t{32 * 1024}, size_t{32 * 1024 + 1},
                     size_t{70'000}, size_t{1'000'003}}) {
        const auto input = sample(n, n);
        auto packed = compress(GetParam(), input);
        ASSERT_TRUE(packed) << n;
        auto unpacked = decompress(GetParam(), packed.value(), kCap);
        ASSERT_TRUE(unpacked) << n << ": " << unpacked.error().message();
        EXPECT_EQ(unpacked.value(), input) << n;
    }
}

TEST_P(EachCodec, OutputOverTheCapIsTooLarge) {
    const auto input = sample(200'000, 1);
    auto packed = compress(GetParam(), input).value();
    EXPECT_EQ(decompress(GetParam(), packed, input.size() - 1).error(), Errc::TooLarge);
    EXPECT_TRUE(decompress(GetParam(), packed, input.size()));
}

TEST_P(EachCodec, EveryTruncationFailsCleanlyOrYieldsLess) {
    const auto input = sample(5000, 2);
    auto packed = compress(GetParam(), input).value();
    for (size_t cut = 0; cut < packed.size(); ++cut) {
        auto r = decompress(GetParam(), std::span(packed).first(cut), kCap);
        // Uncompressed data and a snappy stream cut at a block boundary are shorter valid
        // inputs; every other cut must fail.
        if (r) {
            EXPECT_TRUE(GetParam() == Codec::None || GetParam() == Codec::Snappy) << cut;
            EXPECT_LT(r.value().size(), input.size()) << cut;
        }
    }
}

TEST_P(EachCodec, RandomGarbageFailsCleanly) {
    std::mt19937_64 rng(7);
    for (int i = 0; i < 500; ++i) {
        Bytes junk(rng() % 300);
        for (auto& b : junk) b = static_cast<uint8_t>(rng());
        auto r = decompress(GetParam(), junk, 1 << 20);
        if (r) {
            EXPECT_LE(r.value().size(), size_t{1} << 20);
        }
    }
}

TEST_P(EachCodec, FlippedBytesFailCleanlyOrStayUnderTheCap) {
    const auto input = sample(20'000, 3);
    const auto packed = compress(GetParam(), input).value();
    std::mt19937_64 rng(11);
    for (int i = 0; i < 300; ++i) {
        auto bad = packed;
        bad[rng() % bad.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
        auto r = decompress(GetParam(), bad, 30'000);
        if (r) {
            EXPECT_LE(r.value().size(), 30'000u);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Codecs, EachCodec, ::testing::ValuesIn(kCodecs),
                         [](const auto& p) { return std::string(codec_name(p.param)); });

TEST(Compression, GzipWritesAGzipMember) {
    auto packed = compress(Codec::Gzip, sample(100, 4)).value();
    ASSERT_GE(packed.size(), 10u);
    EXPECT_EQ(packed[0], 0x1F);
    EXPECT_EQ(packed[1], 0x8B);
    EXPECT_EQ(packed[2], 8);  // deflate
}

TEST(Compression, GzipAcceptsConcatenatedMembers) {
    const auto a = sample(1000, 5), b = sample(3000, 6);
    auto packed = compress(Codec::Gzip, a).value();
    auto second = compress(Codec::Gzip, b).value();
    packed.insert(packed.end(), second.begin(), second.end());
    auto out = decompress(Codec::Gzip, packed, kCap).value();
    Bytes expected = a;
    expected.insert(expected.end(), b.begin(), b.end());
    EXPECT_EQ(out, expected);
}

TEST(Compression, SnappyWritesTheXerialFramingTheJavaClientWrites) {
    const auto input = sample(70'000, 8);
    auto packed = compress(Codec::Snappy, input).value();
    const Bytes header = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1};
    ASSERT_GT(packed.size(), header.size());
    EXPECT_TRUE(std::equal(header.begin(), header.end(), packed.begin()));
    // Three 32 KiB blocks, each a big-endian length and a raw snappy block.
    size_t pos = 16, blocks = 0;
    while (pos < packed.size()) {
        const size_t len = (size_t{packed[pos]} << 24) | (size_t{packed[pos + 1]} << 16) |
                           (size_t{packed[pos + 2]} << 8) | packed[pos + 3];
        pos += 4 + len;
        ++blocks;
    }
    EXPECT_EQ(pos, packed.size());
    EXPECT_EQ(blocks, 3u);
}

TEST(Compression, SnappyDecompressesRawBlocksAsLibrdkafkaWritesThem) {
    const auto input = sample(50'000, 9);
    auto raw = snappy_compress_raw(input);
    EXPECT_EQ(decompress(Codec::Snappy, raw, kCap).value(), input);
}

TEST(Compression, SnappyAcceptsConcatenatedXerialStreams) {
    const auto a = sample(40'000, 10), b = sample(10, 11);
    auto packed = snappy_compress_framed(a);
    auto second = snappy_compress_framed(b);
    packed.insert(packed.end(), second.begin(), second.end());
    Bytes expected = a;
    expected.insert(expected.end(), b.begin(), b.end());
    EXPECT_EQ(decompress(Codec::Snappy, packed, kCap).value(), expected);
}

TEST(Compression, SnappyBlockClaimingAHugeLengthIsRefusedBeforeAllocating) {
    // A raw block whose length varint claims 4 GiB - 1 from a handful of bytes.
    const Bytes lie = {0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00};
    EXPECT_EQ(decompress(Codec::Snappy, lie, kCap).error(), Errc::TooLarge);
    EXPECT_EQ(decompress(Codec::Snappy, lie, SIZE_MAX).error(), Errc::Malformed);
}

TEST(Compression, Lz4WritesAFrameWithIndependent64KiBBlocks) {
    auto packed = compress(Codec::Lz4, sample(1000, 12)).value();
    ASSERT_GE(packed.size(), 7u);
    EXPECT_EQ(packed[0], 0x04);  // frame magic 0x184D2204, little-endian
    EXPECT_EQ(packed[1], 0x22);
    EXPECT_EQ(packed[2], 0x4D);
    EXPECT_EQ(packed[3], 0x18);
    EXPECT_EQ(packed[4] & 0xC0, 0x40);  // version 01
    EXPECT_EQ(packed[4] & 0x20, 0x20);  // block independence
    EXPECT_EQ(packed[4] & 0x08, 0x00);  // no content size: Kafka's Java reader predates it
    EXPECT_EQ(packed[5], 0x40);         // 64 KiB maximum block size
}

TEST(Compression, ZstdWritesAFrame) {
    auto packed = compress(Codec::Zstd, sample(1000, 13)).value();
    ASSERT_GE(packed.size(), 4u);
    EXPECT_EQ(packed[0], 0x28);
    EXPECT_EQ(packed[1], 0xB5);
    EXPECT_EQ(packed[2], 0x2F);
    EXPECT_EQ(packed[3], 0xFD);
}

// A frame without a declared content size, as the Java client's streaming compressor writes it.
Bytes zstd_frame_without_size(const Bytes& input) {
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 0);
    Bytes out(ZSTD_compressBound(input.size()));
    const size_t n = ZSTD_compress2(cctx, out.data(), out.size(), input.data(), input.size());
    ZSTD_freeCCtx(cctx);
    EXPECT_FALSE(ZSTD_isError(n));
    out.resize(n);
    EXPECT_EQ(ZSTD_getFrameContentSize(out.data(), out.size()), ZSTD_CONTENTSIZE_UNKNOWN);
    return out;
}

TEST(Compression, ZstdFrameWithoutContentSizeDecodesByStreamingUnderTheCap) {
    const auto input = sample(300'000, 15);
    const auto packed = zstd_frame_without_size(input);
    EXPECT_EQ(decompress(Codec::Zstd, packed, kCap).value(), input);
    EXPECT_EQ(decompress(Codec::Zstd, packed, input.size() - 1).error(), Errc::TooLarge);
    EXPECT_EQ(decompress(Codec::Zstd, std::span(packed).first(packed.size() - 1), kCap).error(),
              Errc::Truncated);
}

TEST(Compression, ZstdConcatenatedFramesDecode) {
    const auto a = sample(5000, 16), b = sample(7000, 17);
    auto packed = compress(Codec::Zstd, a).value();
    const auto second = zstd_frame_without_size(b);
    packed.insert(packed.end(), second.begin(), second.end());
    Bytes expected = a;
    expected.insert(expected.end(), b.begin(), b.end());
    EXPECT_EQ(decompress(Codec::Zstd, packed, kCap).value(), expected);
}

TEST(Compression, ZstdFrameDemandingAHugeWindowIsRefused) {
    // Frame header: magic, descriptor without content size, window 2^28 (exponent 18); then one
    // empty raw last block.
    const Bytes frame = {0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x90, 0x01, 0x00, 0x00};
    EXPECT_EQ(decompress(Codec::Zstd, frame, kCap).error(), Errc::TooLarge);
}

TEST(Compression, DecompressionBombIsRefusedAtTheCap) {
    // 64 MiB of zeros shrinks at least twentyfold in every codec; a 1 MiB cap must stop it.
    const Bytes zeros(64u << 20, 0);
    for (Codec c : {Codec::Gzip, Codec::Lz4, Codec::Zstd, Codec::Snappy}) {
        auto packed = compress(c, zeros).value();
        EXPECT_LT(packed.size(), zeros.size() / 20) << codec_name(c);
        EXPECT_EQ(decompress(c, packed, 1u << 20).error(), Errc::TooLarge) << codec_name(c);
    }
}

TEST(Compression, InvalidLevelsAreRejected) {
    const auto input = sample(100, 14);
    EXPECT_EQ(compress(Codec::Gzip, input, 10).error(), Errc::InvalidArgument);
    EXPECT_EQ(compress(Codec::Lz4, input, 13).error(), Errc::InvalidArgument);
    EXPECT_EQ(compress(Codec::Zstd, input, 1000).error(), Errc::InvalidArgument);
    EXPECT_TRUE(compress(Codec::Gzip, input, 9));
    EXPECT_TRUE(compress(Codec::Zstd, input, 19));
}

TEST(Compression, UnknownCodecIsUnsupported) {
    const Bytes input = {1, 2, 3};
    EXPECT_EQ(compress(static_cast<Codec>(6), input).error(), Errc::Unsupported);
    EXPECT_EQ(decompress(static_cast<Codec>(6), input, 100).error(), Errc::Unsupported);
}

}  // namespace
}  // namespace common::records
