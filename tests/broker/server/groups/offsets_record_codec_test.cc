#include "broker/server/groups/offsets_record_codec.h"

#include <gtest/gtest.h>

#include "common/errc.h"
#include "common/protocol/writer.h"

namespace broker::server::groups {
namespace {

using common::protocol::Writer;
using Bytes = std::vector<uint8_t>;

Bytes str16(std::string_view s) {
    Writer w;
    w.write_string(s, false);
    return w.take();
}

Bytes concat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

Bytes i16(int16_t v) {
    Writer w;
    w.write_int16(v);
    return w.take();
}
Bytes i32(int32_t v) {
    Writer w;
    w.write_int32(v);
    return w.take();
}
Bytes i64(int64_t v) {
    Writer w;
    w.write_int64(v);
    return w.take();
}

GroupRecord sample_group() {
    GroupRecord g;
    g.protocol_type = "consumer";
    g.generation = 7;
    g.protocol = "range";
    g.leader = "m-1";
    g.current_state_timestamp_ms = 1700000000123;
    g.members.push_back(MemberRecord{"m-1", std::string("instance-a"), "client-1", "/127.0.0.1",
                                     60000, 10000, Bytes{0, 1, 2}, Bytes{9, 8}});
    g.members.push_back(
        MemberRecord{"m-2", std::nullopt, "client-2", "/127.0.0.2", 30000, 6000, Bytes{}, Bytes{}});
    return g;
}

TEST(OffsetsRecordCodecTest, OffsetKeyHasKafkasVersion1Layout) {
    auto key = encode_offset_key("g", TopicPartition{"t", 3});
    EXPECT_EQ(key, concat({i16(1), str16("g"), str16("t"), i32(3)}));
    auto decoded = decode_offsets_key(key);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(std::get<OffsetRecordKey>(decoded.value()),
              (OffsetRecordKey{"g", TopicPartition{"t", 3}}));
}

TEST(OffsetsRecordCodecTest, Version0OffsetKeyDecodesLikeVersion1) {
    auto decoded = decode_offsets_key(concat({i16(0), str16("grp"), str16("topic"), i32(0)}));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(std::get<OffsetRecordKey>(decoded.value()),
              (OffsetRecordKey{"grp", TopicPartition{"topic", 0}}));
}

TEST(OffsetsRecordCodecTest, GroupKeyHasKafkasVersion2Layout) {
    auto key = encode_group_key("my-group");
    EXPECT_EQ(key, concat({i16(2), str16("my-group")}));
    auto decoded = decode_offsets_key(key);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(std::get<GroupRecordKey>(decoded.value()).group, "my-group");
}

TEST(OffsetsRecordCodecTest, UnknownKeyVersionIsUnsupported) {
    auto decoded = decode_offsets_key(concat({i16(3), str16("g")}));
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error(), common::Errc::Unsupported);
}

TEST(OffsetsRecordCodecTest, OffsetValueIsWrittenAsVersion3AndReadBack) {
    CommittedOffset c{42, 5, std::string("meta"), 1000, -1};
    auto bytes = encode_offset_value(c);
    EXPECT_EQ(bytes, concat({i16(3), i64(42), i32(5), str16("meta"), i64(1000)}));
    auto decoded = decode_offset_value(bytes);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded.value(), c);
}

TEST(OffsetsRecordCodecTest, OffsetWithExpireTimestampIsWrittenAsVersion1) {
    CommittedOffset c{42, -1, std::string(""), 1000, 2000};
    auto bytes = encode_offset_value(c);
    EXPECT_EQ(bytes, concat({i16(1), i64(42), str16(""), i64(1000), i64(2000)}));
    auto decoded = decode_offset_value(bytes);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded.value(), c);
}

TEST(OffsetsRecordCodecTest, NullMetadataIsStoredAsEmptyString) {
    auto decoded = decode_offset_value(encode_offset_value(CommittedOffset{1, -1, {}, 5, -1}));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded.value().metadata, std::optional<std::string>(""));
}

TEST(OffsetsRecordCodecTest, OlderOffsetValueVersionsAreRead) {
    auto v0 = decode_offset_value(concat({i16(0), i64(10), str16("a"), i64(100)}));
    ASSERT_TRUE(v0);
    EXPECT_EQ(v0.value(), (CommittedOffset{10, -1, std::string("a"), 100, -1}));
    auto v2 = decode_offset_value(concat({i16(2), i64(11), str16("b"), i64(101)}));
    ASSERT_TRUE(v2);
    EXPECT_EQ(v2.value(), (CommittedOffset{11, -1, std::string("b"), 101, -1}));
}

TEST(OffsetsRecordCodecTest, FlexibleVersion4OffsetValueIsRead) {
    Writer w;
    w.write_int16(4);
    w.write_int64(77);
    w.write_int32(2);
    w.write_string("m", true);
    w.write_int64(500);
    w.write_tagged_fields({{7, Bytes{1, 2, 3}}});
    auto decoded = decode_offset_value(w.data());
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded.value(), (CommittedOffset{77, 2, std::string("m"), 500, -1}));
}

TEST(OffsetsRecordCodecTest, GroupValueRoundTripsAsVersion3) {
    auto bytes = encode_group_value(sample_group());
    ASSERT_GE(bytes.size(), 2u);
    EXPECT_EQ(Bytes(bytes.begin(), bytes.begin() + 2), i16(3));
    auto decoded = decode_group_value(bytes);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded.value(), sample_group());
}

TEST(OffsetsRecordCodecTest, Version0GroupValueTakesTheSessionTimeoutAsRebalanceTimeout) {
    Writer w;
    w.write_int16(0);
    w.write_string("consumer", false);
    w.write_int32(3);
    w.write_nullable_string(std::string("range"), false);
    w.write_nullable_string(std::string("m"), false);
    w.write_array_length(1, false);
    w.write_string("m", false);
    w.write_string("cid", false);
    w.write_string("/h", false);
    w.write_int32(10000);  // session timeout
    w.write_bytes(Bytes{1}, false);
    w.write_bytes(Bytes{2}, false);
    auto decoded = decode_group_value(w.data());
    ASSERT_TRUE(decoded);
    const auto& g = decoded.value();
    EXPECT_EQ(g.generation, 3);
    EXPECT_EQ(g.current_state_timestamp_ms, -1);
    ASSERT_EQ(g.members.size(), 1u);
    EXPECT_EQ(g.members[0].rebalance_timeout_ms, 10000);
    EXPECT_EQ(g.members[0].session_timeout_ms, 10000);
    EXPECT_EQ(g.members[0].group_instance_id, std::nullopt);
    EXPECT_EQ(g.members[0].assignment, Bytes{2});
}

TEST(OffsetsRecordCodecTest, Version2GroupValueWithoutInstanceIdsIsRead) {
    Writer w;
    w.write_int16(2);
    w.write_string("", false);
    w.write_int32(0);
    w.write_nullable_string(std::nullopt, false);
    w.write_nullable_string(std::nullopt, false);
    w.write_int64(123);
    w.write_array_length(0, false);
    auto decoded = decode_group_value(w.data());
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded.value().current_state_timestamp_ms, 123);
    EXPECT_TRUE(decoded.value().members.empty());
    EXPECT_EQ(decoded.value().protocol, std::nullopt);
}

TEST(OffsetsRecordCodecTest, FlexibleVersion4GroupValueIsRead) {
    Writer w;
    w.write_int16(4);
    w.write_string("consumer", true);
    w.write_int32(1);
    w.write_nullable_string(std::string("sticky"), true);
    w.write_nullable_string(std::string("a"), true);
    w.write_int64(9);
    w.write_array_length(1, true);
    w.write_string("a", true);
    w.write_nullable_string(std::string("i"), true);
    w.write_string("c", true);
    w.write_string("h", true);
    w.write_int32(1);
    w.write_int32(2);
    w.write_bytes(Bytes{3}, true);
    w.write_bytes(Bytes{4}, true);
    w.write_tagged_fields({});
    w.write_tagged_fields({{0, Bytes{5}}});
    auto decoded = decode_group_value(w.data());
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded.value().members.at(0).group_instance_id, std::optional<std::string>("i"));
    EXPECT_EQ(decoded.value().members.at(0).assignment, Bytes{4});
}

TEST(OffsetsRecordCodecTest, TruncatedOrPaddedValuesAreRefusedNotMisread) {
    auto bytes = encode_group_value(sample_group());
    for (size_t n = 0; n < bytes.size(); ++n) {
        EXPECT_FALSE(decode_group_value(std::span(bytes).first(n))) << "prefix " << n;
    }
    bytes.push_back(0);
    EXPECT_FALSE(decode_group_value(bytes));
    auto offset = encode_offset_value(CommittedOffset{1, 1, std::string("x"), 1, -1});
    for (size_t n = 0; n < offset.size(); ++n) {
        EXPECT_FALSE(decode_offset_value(std::span(offset).first(n))) << "prefix " << n;
    }
    EXPECT_FALSE(decode_offset_value(concat({i16(9), i64(1)})));
}

TEST(OffsetsRecordCodecTest, RandomBytesNeverCrashTheDecoders) {
    uint32_t seed = 12345;
    for (int i = 0; i < 2000; ++i) {
        Bytes junk(static_cast<size_t>(seed % 64));
        for (auto& b : junk) {
            seed = seed * 1103515245 + 12345;
            b = static_cast<uint8_t>(seed >> 16);
        }
        if (junk.size() >= 2) {
            junk[0] = 0;
            junk[1] = static_cast<uint8_t>(i % 5);
        }
        (void)decode_offsets_key(junk);
        (void)decode_offset_value(junk);
        (void)decode_group_value(junk);
    }
}

TEST(OffsetsRecordCodecTest, JavaStringHashMatchesJavaOverUtf16CodeUnits) {
    EXPECT_EQ(java_string_hash(""), 0);
    EXPECT_EQ(java_string_hash("hello"), 99162322);
    EXPECT_EQ(java_string_hash("my-group"), -1906497762);
    EXPECT_EQ(java_string_hash("gr\xc3\xbcppe"), -1233264812);  // "grüppe"
    EXPECT_EQ(java_string_hash("g\xf0\x9f\x98\x80"), 1871882);  // a surrogate pair
}

TEST(OffsetsRecordCodecTest, PartitionForIsAbsHashModuloPartitions) {
    EXPECT_EQ(offsets_partition_for("hello", 50), 22);
    EXPECT_EQ(offsets_partition_for("my-group", 50), 36);  // negative hash: masked, not negated
    EXPECT_EQ(offsets_partition_for("test-group-99", 50), 29);
    EXPECT_EQ(offsets_partition_for("console-consumer-12345", 50), 6);
    EXPECT_EQ(offsets_partition_for("anything", 1), 0);
}

}  // namespace
}  // namespace broker::server::groups
