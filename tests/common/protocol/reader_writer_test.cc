#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "common/errc.h"
#include "common/protocol/reader.h"
#include "common/protocol/writer.h"

namespace common::protocol {
namespace {

Reader reader_of(const Bytes& b) {
    return Reader(std::span<const uint8_t>(b));
}

TEST(ReaderWriter, IntegersAreBigEndian) {
    Writer w;
    w.write_int8(-2);
    w.write_int16(0x0102);
    w.write_int32(0x03040506);
    w.write_int64(0x0708090a0b0c0d0eLL);
    w.write_uint16(0xfffe);
    w.write_uint32(0xfffffffd);
    const Bytes expected = {0xfe, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
                            0x0b, 0x0c, 0x0d, 0x0e, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xfd};
    EXPECT_EQ(w.data(), expected);
    Reader r = reader_of(w.data());
    EXPECT_EQ(r.read_int8().value(), -2);
    EXPECT_EQ(r.read_int16().value(), 0x0102);
    EXPECT_EQ(r.read_int32().value(), 0x03040506);
    EXPECT_EQ(r.read_int64().value(), 0x0708090a0b0c0d0eLL);
    EXPECT_EQ(r.read_uint16().value(), 0xfffe);
    EXPECT_EQ(r.read_uint32().value(), 0xfffffffdu);
    EXPECT_TRUE(r.at_end());
}

TEST(ReaderWriter, Float64AndBoolRoundTrip) {
    Writer w;
    w.write_float64(-1.25);
    w.write_bool(true);
    w.write_bool(false);
    const Bytes expected = {0xbf, 0xf4, 0, 0, 0, 0, 0, 0, 1, 0};
    EXPECT_EQ(w.data(), expected);
    Reader r = reader_of(w.data());
    EXPECT_EQ(r.read_float64().value(), -1.25);
    EXPECT_TRUE(r.read_bool().value());
    EXPECT_FALSE(r.read_bool().value());
}

TEST(ReaderWriter, ZigZagVarintsMatchKnownEncodings) {
    struct Case {
        int64_t value;
        Bytes bytes;
    };
    const std::vector<Case> cases = {{0, {0x00}},   {-1, {0x01}},       {1, {0x02}},
                                     {-64, {0x7f}}, {64, {0x80, 0x01}}, {300, {0xd8, 0x04}}};
    for (const auto& c : cases) {
        Writer w;
        w.write_varlong(c.value);
        EXPECT_EQ(w.data(), c.bytes) << c.value;
        Reader r = reader_of(w.data());
        EXPECT_EQ(r.read_varlong().value(), c.value);
        Writer w32;
        w32.write_varint(static_cast<int32_t>(c.value));
        EXPECT_EQ(w32.data(), c.bytes);
        Reader r32 = reader_of(w32.data());
        EXPECT_EQ(r32.read_varint().value(), c.value);
    }
}

TEST(ReaderWriter, VarintExtremesRoundTrip) {
    Writer w;
    w.write_varint(std::numeric_limits<int32_t>::min());
    w.write_varint(std::numeric_limits<int32_t>::max());
    w.write_varlong(std::numeric_limits<int64_t>::min());
    w.write_varlong(std::numeric_limits<int64_t>::max());
    w.write_uvarint(std::numeric_limits<uint32_t>::max());
    Reader r = reader_of(w.data());
    EXPECT_EQ(r.read_varint().value(), std::numeric_limits<int32_t>::min());
    EXPECT_EQ(r.read_varint().value(), std::numeric_limits<int32_t>::max());
    EXPECT_EQ(r.read_varlong().value(), std::numeric_limits<int64_t>::min());
    EXPECT_EQ(r.read_varlong().value(), std::numeric_limits<int64_t>::max());
    EXPECT_EQ(r.read_uvarint().value(), std::numeric_limits<uint32_t>::max());
    EXPECT_TRUE(r.at_end());
}

TEST(ReaderWriter, OverlongUnsignedVarintIsMalformed) {
    const Bytes too_wide = {0xff, 0xff, 0xff, 0xff, 0x10};  // 33 bits
    Reader r = reader_of(too_wide);
    EXPECT_EQ(r.read_uvarint().error(), Errc::Malformed);
    const Bytes too_long = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    Reader r64 = reader_of(too_long);
    EXPECT_EQ(r64.read_uvarlong().error(), Errc::Malformed);
}

TEST(ReaderWriter, UnterminatedVarintIsTruncated) {
    const Bytes b = {0x80, 0x80};
    Reader r = reader_of(b);
    EXPECT_EQ(r.read_uvarint().error(), Errc::Truncated);
}

TEST(ReaderWriter, ClassicAndCompactStringsUseTheirLengthForms) {
    Writer w;
    w.write_string("ab", false);
    w.write_string("ab", true);
    w.write_nullable_string(std::nullopt, false);
    w.write_nullable_string(std::nullopt, true);
    w.write_string("", true);
    const Bytes expected = {0x00, 0x02, 'a', 'b', 0x03, 'a', 'b', 0xff, 0xff, 0x00, 0x01};
    EXPECT_EQ(w.data(), expected);
    Reader r = reader_of(w.data());
    EXPECT_EQ(r.read_string(false).value(), "ab");
    EXPECT_EQ(r.read_string(true).value(), "ab");
    EXPECT_EQ(r.read_nullable_string(false).value(), std::nullopt);
    EXPECT_EQ(r.read_nullable_string(true).value(), std::nullopt);
    EXPECT_EQ(r.read_string(true).value(), "");
    EXPECT_TRUE(r.at_end());
}

TEST(ReaderWriter, NullWhereNotNullableIsMalformed) {
    const Bytes b = {0xff, 0xff};
    Reader r = reader_of(b);
    EXPECT_EQ(r.read_string(false).error(), Errc::Malformed);
    const Bytes c = {0x00};
    Reader rc = reader_of(c);
    EXPECT_EQ(rc.read_bytes(true).error(), Errc::Malformed);
}

TEST(ReaderWriter, NegativeLengthOtherThanNullIsMalformed) {
    const Bytes b = {0xff, 0xfe};
    Reader r = reader_of(b);
    EXPECT_EQ(r.read_nullable_string(false).error(), Errc::Malformed);
    const Bytes arr = {0xff, 0xff, 0xff, 0xfe};
    Reader ra = reader_of(arr);
    EXPECT_EQ(ra.read_array_length(false).error(), Errc::Malformed);
}

TEST(ReaderWriter, LengthBeyondInputIsTruncatedWithoutAllocating) {
    const Bytes huge_bytes = {0x7f, 0xff, 0xff, 0xff, 1, 2, 3};
    Reader r = reader_of(huge_bytes);
    EXPECT_EQ(r.read_bytes(false).error(), Errc::Truncated);
    Reader ra = reader_of(huge_bytes);
    EXPECT_EQ(ra.read_array_length(false).error(), Errc::Truncated);
    const Bytes compact = {0xff, 0xff, 0xff, 0xff, 0x0f};
    Reader rc = reader_of(compact);
    EXPECT_EQ(rc.read_array_length(true).error(), Errc::Truncated);
}

TEST(ReaderWriter, ReadsNeverPassTheEndOfTheSpan) {
    const Bytes b = {1, 2, 3};
    Reader r(std::span<const uint8_t>(b).first(2));
    EXPECT_EQ(r.read_int32().error(), Errc::Truncated);
    Reader r2(std::span<const uint8_t>(b).first(2));
    EXPECT_EQ(r2.read_uuid().error(), Errc::Truncated);
    Reader r3(std::span<const uint8_t>(b).first(2));
    EXPECT_EQ(r3.read_int16().value(), 0x0102);
    EXPECT_EQ(r3.read_int8().error(), Errc::Truncated);
}

TEST(ReaderWriter, BytesAndUuidRoundTrip) {
    Uuid id{};
    for (size_t i = 0; i < id.size(); ++i) {
        id[i] = static_cast<uint8_t>(i * 7);
    }
    Writer w;
    w.write_bytes(Bytes{9, 8}, false);
    w.write_bytes(Bytes{9, 8}, true);
    w.write_nullable_bytes(std::nullopt, false);
    w.write_uuid(id);
    Reader r = reader_of(w.data());
    EXPECT_EQ(r.read_bytes(false).value(), (Bytes{9, 8}));
    EXPECT_EQ(r.read_bytes(true).value(), (Bytes{9, 8}));
    EXPECT_EQ(r.read_nullable_bytes(false).value(), std::nullopt);
    EXPECT_EQ(r.read_uuid().value(), id);
    EXPECT_TRUE(r.at_end());
}

TEST(ReaderWriter, TaggedFieldsRoundTripAndSkip) {
    const TaggedFields fields = {{0, {1, 2}}, {5, {}}, {300, {7}}};
    Writer w;
    w.write_tagged_fields(fields);
    w.write_int8(42);
    const Bytes expected = {3, 0, 2, 1, 2, 5, 0, 0xac, 0x02, 1, 7, 42};
    EXPECT_EQ(w.data(), expected);
    Reader r = reader_of(w.data());
    EXPECT_EQ(r.read_tagged_fields().value(), fields);
    Reader s = reader_of(w.data());
    ASSERT_TRUE(s.skip_tagged_fields());
    EXPECT_EQ(s.read_int8().value(), 42);
}

TEST(ReaderWriter, PatchInt32OverwritesAPlaceholder) {
    Writer w;
    w.write_int32(0);
    w.write_int8(1);
    w.patch_int32(0, 1);
    EXPECT_EQ(w.data(), (Bytes{0, 0, 0, 1, 1}));
}

}  // namespace
}  // namespace common::protocol
