#include "common/protocol/records/record.h"

#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "common/errc.h"
#include "common/protocol/records/varint.h"

namespace common::records {
namespace {

std::string text(ByteView v) {
    return {reinterpret_cast<const char*>(v.data()), v.size()};
}

TEST(Varint, EncodesZigZagAsKafkaDoes) {
    std::vector<uint8_t> out;
    put_varint(out, 0);
    put_varint(out, -1);
    put_varint(out, 1);
    put_varint(out, -2);
    put_varint(out, 64);
    EXPECT_EQ(out, (std::vector<uint8_t>{0x00, 0x01, 0x02, 0x03, 0x80, 0x01}));
    out.clear();
    put_varint(out, std::numeric_limits<int32_t>::min());
    EXPECT_EQ(out, (std::vector<uint8_t>{0xFF, 0xFF, 0xFF, 0xFF, 0x0F}));
    EXPECT_EQ(varint_size(std::numeric_limits<int32_t>::min()), 5u);
    EXPECT_EQ(varint_size(-64), 1u);
    EXPECT_EQ(varint_size(64), 2u);
}

TEST(Varint, RoundTripsExtremes) {
    for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1}, std::numeric_limits<int64_t>::min(),
                      std::numeric_limits<int64_t>::max(), int64_t{1700000000000}}) {
        std::vector<uint8_t> out;
        put_varlong(out, v);
        size_t pos = 0;
        EXPECT_EQ(get_varlong(out, pos).value(), v);
        EXPECT_EQ(pos, out.size());
    }
    for (int32_t v :
         {0, -1, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()}) {
        std::vector<uint8_t> out;
        put_varint(out, v);
        size_t pos = 0;
        EXPECT_EQ(get_varint(out, pos).value(), v);
        EXPECT_EQ(pos, out.size());
        EXPECT_EQ(varint_size(v), out.size());
    }
}

TEST(Varint, TooLongIsMalformedAndCutIsTruncated) {
    const std::vector<uint8_t> six = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    size_t pos = 0;
    EXPECT_EQ(get_varint(six, pos).error(), Errc::Malformed);
    EXPECT_EQ(pos, 0u);
    EXPECT_TRUE(get_varlong(six, pos));
    const std::vector<uint8_t> cut = {0x80, 0x80};
    pos = 0;
    EXPECT_EQ(get_varint(cut, pos).error(), Errc::Truncated);
    const std::vector<uint8_t> eleven(11, 0x80);
    pos = 0;
    EXPECT_EQ(get_varlong(eleven, pos).error(), Errc::Malformed);
}

// length 20: attributes 0, ts delta -1, offset delta 3, key "k", value "val", two headers:
// "h" = "x" and "n" = null.
const std::vector<uint8_t> kRecord = {0x28, 0x00, 0x01, 0x06, 0x02, 'k', 0x06, 'v', 'a',
                                      'l',  0x04, 0x02, 'h',  0x02, 'x', 0x02, 'n', 0x01};

TEST(Record, DecodesEveryField) {
    std::vector<uint8_t> in = kRecord;
    in[0] = static_cast<uint8_t>((in.size() - 1) * 2);
    size_t pos = 0;
    auto r = decode_record(in, pos);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(pos, in.size());
    EXPECT_EQ(r.value().attributes, 0);
    EXPECT_EQ(r.value().timestamp_delta, -1);
    EXPECT_EQ(r.value().offset_delta, 3);
    ASSERT_TRUE(r.value().key);
    EXPECT_EQ(text(*r.value().key), "k");
    ASSERT_TRUE(r.value().value);
    EXPECT_EQ(text(*r.value().value), "val");
    ASSERT_EQ(r.value().headers.size(), 2u);
    EXPECT_EQ(r.value().headers[0].key, "h");
    EXPECT_EQ(text(*r.value().headers[0].value), "x");
    EXPECT_EQ(r.value().headers[1].key, "n");
    EXPECT_FALSE(r.value().headers[1].value);
}

TEST(Record, DeclaredLengthLongerThanTheBodyIsMalformed) {
    std::vector<uint8_t> in = kRecord;
    in[0] = static_cast<uint8_t>((in.size() - 1) * 2);
    in.push_back(0);  // one spare byte inside the declared length
    in[0] = static_cast<uint8_t>((in.size() - 1) * 2);
    size_t pos = 0;
    EXPECT_EQ(decode_record(in, pos).error(), Errc::Malformed);
    EXPECT_EQ(pos, 0u);
}

TEST(Record, DeclaredLengthPastTheInputIsTruncated) {
    std::vector<uint8_t> in = kRecord;
    in[0] = static_cast<uint8_t>(in.size() * 2);
    size_t pos = 0;
    EXPECT_EQ(decode_record(in, pos).error(), Errc::Truncated);
}

TEST(Record, NegativeLengthsOtherThanNullAreMalformed) {
    // key length -2
    const std::vector<uint8_t> in = {0x0A, 0x00, 0x00, 0x00, 0x03, 0x00};
    size_t pos = 0;
    EXPECT_EQ(decode_record(in, pos).error(), Errc::Malformed);
    // header count -1
    const std::vector<uint8_t> neg_headers = {0x0C, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01};
    pos = 0;
    EXPECT_EQ(decode_record(neg_headers, pos).error(), Errc::Malformed);
}

TEST(Record, HugeHeaderCountIsRefusedBeforeAllocating) {
    // header count 2^30 in a 10-byte body
    const std::vector<uint8_t> in = {0x14, 0x00, 0x00, 0x00, 0x01, 0x01,
                                     0x80, 0x80, 0x80, 0x80, 0x08};
    size_t pos = 0;
    EXPECT_EQ(decode_record(in, pos).error(), Errc::Malformed);
}

}  // namespace
}  // namespace common::records
