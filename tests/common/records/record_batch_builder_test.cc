#include "common/protocol/records/record_batch_builder.h"

#include <string>

#include <gtest/gtest.h>

#include "common/errc.h"
#include "common/protocol/records/batch_splitter.h"
#include "common/protocol/records/record_iterator.h"

namespace common::records {
namespace {

constexpr size_t kCap = 16 * 1024 * 1024;

std::vector<uint8_t> bytes(const std::string& s) {
    return {s.begin(), s.end()};
}

std::vector<uint8_t> from_hex(const std::string& hex) {
    std::vector<uint8_t> out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return out;
}

class BuilderWithCodec : public ::testing::TestWithParam<Codec> {};

TEST_P(BuilderWithCodec, BuiltBatchValidatesAndParsesBackRecordByRecord) {
    BatchOptions o;
    o.base_offset = 1000;
    o.partition_leader_epoch = 4;
    o.codec = GetParam();
    o.producer_id = 123456789;
    o.producer_epoch = 7;
    o.base_sequence = 50;
    RecordBatchBuilder b(o);
    for (int i = 0; i < 200; ++i) {
        NewRecord r;
        if (i % 3 != 0) r.key = bytes("key-" + std::to_string(i));
        if (i % 5 != 0) r.value = bytes(std::string(i * 7, static_cast<char>('a' + i % 26)));
        r.timestamp = 1700000000000 + (i % 2 == 0 ? i : -i);
        if (i % 4 == 0) r.headers.push_back({"trace", bytes("t" + std::to_string(i))});
        if (i % 8 == 0) r.headers.push_back({"null", std::nullopt});
        b.add(std::move(r));
    }
    auto batch = b.build();
    ASSERT_TRUE(batch) << batch.error().message();

    auto h = validate_batch(batch.value());
    ASSERT_TRUE(h) << h.error().message();
    EXPECT_EQ(h.value().base_offset, 1000);
    EXPECT_EQ(h.value().partition_leader_epoch, 4);
    EXPECT_EQ(h.value().compression(), GetParam());
    EXPECT_EQ(h.value().records_count, 200);
    EXPECT_EQ(h.value().last_offset_delta, 199);
    EXPECT_EQ(h.value().base_timestamp, 1700000000000);
    EXPECT_EQ(h.value().max_timestamp, 1700000000000 + 198);
    EXPECT_EQ(h.value().producer_id, 123456789);
    EXPECT_EQ(h.value().producer_epoch, 7);
    EXPECT_EQ(h.value().base_sequence, 50);
    EXPECT_EQ(h.value().last_sequence(), 249);

    auto records = read_all_records(batch.value(), kCap);
    ASSERT_TRUE(records) << records.error().message();
    ASSERT_EQ(records.value().size(), 200u);
    for (int i = 0; i < 200; ++i) {
        const auto& r = records.value()[i];
        EXPECT_EQ(r.offset, 1000 + i);
        EXPECT_EQ(r.timestamp, 1700000000000 + (i % 2 == 0 ? i : -i));
        EXPECT_EQ(r.key.has_value(), i % 3 != 0);
        if (r.key) {
            EXPECT_EQ(*r.key, bytes("key-" + std::to_string(i)));
        }
        EXPECT_EQ(r.value.has_value(), i % 5 != 0);
        if (r.value) {
            EXPECT_EQ(r.value->size(), size_t(i * 7));
        }
        EXPECT_EQ(r.headers.size(), size_t(i % 4 == 0) + size_t(i % 8 == 0));
    }
}

TEST_P(BuilderWithCodec, DecompressionCapAppliesToRecordIteration) {
    BatchOptions o;
    o.codec = GetParam();
    RecordBatchBuilder b(o);
    b.add(std::nullopt, std::string(100'000, 'z'), 1);
    auto batch = b.build().value();
    if (GetParam() == Codec::None) {
        EXPECT_TRUE(RecordIterator::open(batch, 1000));  // nothing to decompress
    } else {
        EXPECT_EQ(RecordIterator::open(batch, 1000).error(), Errc::TooLarge);
    }
}

INSTANTIATE_TEST_SUITE_P(Codecs, BuilderWithCodec,
                         ::testing::Values(Codec::None, Codec::Gzip, Codec::Snappy, Codec::Lz4,
                                           Codec::Zstd),
                         [](const auto& p) { return std::string(codec_name(p.param)); });

TEST(RecordBatchBuilder, TransactionalControlAndLogAppendTimeFlagsAreSet) {
    BatchOptions o;
    o.transactional = true;
    o.control = true;
    o.timestamp_type = TimestampType::LogAppendTime;
    o.max_timestamp = 1800000000000;
    RecordBatchBuilder b(o);
    b.add(std::string("\0\0\0\1", 4), std::string("\0\0\0\0\0\5", 6), 1700000000000);
    auto batch = b.build().value();
    auto h = validate_batch(batch).value();
    EXPECT_TRUE(h.is_transactional());
    EXPECT_TRUE(h.is_control());
    EXPECT_EQ(h.timestamp_type(), TimestampType::LogAppendTime);
    auto records = read_all_records(batch, kCap).value();
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].timestamp, 1800000000000);
}

TEST(RecordBatchBuilder, CompactedBatchKeepsOriginalOffsetDeltas) {
    BatchOptions o;
    o.base_offset = 10;
    o.last_offset_delta = 9;
    RecordBatchBuilder b(o);
    NewRecord r1, r2;
    r1.offset_delta = 2;
    r1.value = bytes("two");
    r2.offset_delta = 7;
    r2.value = bytes("seven");
    b.add(r1).add(r2);
    auto batch = b.build().value();
    auto h = validate_batch(batch).value();
    EXPECT_EQ(h.last_offset(), 19);
    EXPECT_EQ(h.records_count, 2);
    auto records = read_all_records(batch, kCap).value();
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].offset, 12);
    EXPECT_EQ(records[1].offset, 17);
}

TEST(RecordBatchBuilder, EmptyBatchIsValid) {
    BatchOptions o;
    o.producer_id = 5;
    o.producer_epoch = 1;
    auto batch = RecordBatchBuilder(o).build().value();
    auto h = validate_batch(batch).value();
    EXPECT_EQ(h.records_count, 0);
    EXPECT_TRUE(read_all_records(batch, kCap).value().empty());
}

TEST(RecordBatchBuilder, NonIncreasingOffsetDeltasAreRejected) {
    RecordBatchBuilder b{BatchOptions{}};
    NewRecord r1, r2;
    r1.offset_delta = 3;
    r2.offset_delta = 3;
    b.add(r1).add(r2);
    EXPECT_EQ(b.build().error(), Errc::InvalidArgument);
}

TEST(RecordIterator, RecordCountAboveThePayloadIsMalformed) {
    RecordBatchBuilder b{BatchOptions{}};
    b.add("k", "v", 1).add("k", "v", 2);
    auto batch = b.build().value();
    // Rewrite records_count to 1 (below the payload's two records) and fix the CRC.
    batch[kRecordsCountPos + 3] = 1;
    EXPECT_TRUE(update_batch_crc(batch));
    auto it = RecordIterator::open(batch, kCap).value();
    ASSERT_TRUE(it.next().value().has_value());
    EXPECT_EQ(it.next().error(), Errc::Malformed);
}

// Batches written by kafka-python 2.0.2's DefaultRecordBatchBuilder (an independent encoder).
TEST(RecordIterator, ReadsAGzipBatchWrittenByAnotherClient) {
    const auto batch = from_hex(
        "000000000000000000000079000000000255ccda4d0001000000020000018bcfe5687b0000018bcfe569c8"
        "00000000000003e9000200000011000000031f8b0800c17a026b02ff3360606060c93610294bcc294dd5ad4a"
        "2dca6762c930642933cc6098c5cac4180511cfcf4b2586c120c6a0cbc2926dc4c8c494c70800c93dbc935a00"
        "0000");
    auto h = validate_batch(batch);
    ASSERT_TRUE(h) << h.error().message();
    EXPECT_EQ(h.value().compression(), Codec::Gzip);
    EXPECT_EQ(h.value().producer_id, 1001);
    EXPECT_EQ(h.value().producer_epoch, 2);
    EXPECT_EQ(h.value().base_sequence, 17);
    EXPECT_EQ(h.value().max_timestamp, 1700000000456);
    auto records = read_all_records(batch, kCap);
    ASSERT_TRUE(records) << records.error().message();
    ASSERT_EQ(records.value().size(), 3u);
    const auto& r = records.value();
    EXPECT_EQ(*r[0].key, bytes("k0"));
    EXPECT_EQ(*r[0].value, bytes("value-zero"));
    ASSERT_EQ(r[0].headers.size(), 1u);
    EXPECT_EQ(r[0].headers[0].first, "h1");
    EXPECT_EQ(*r[0].headers[0].second, bytes("v1"));
    EXPECT_EQ(r[0].timestamp, 1700000000123);
    EXPECT_FALSE(r[1].key);
    EXPECT_EQ(*r[1].value, bytes("value-onevalue-onevalue-onevalue-onevalue-one"));
    EXPECT_EQ(r[1].timestamp, 1700000000456);
    EXPECT_EQ(r[2].offset, 2);
    EXPECT_FALSE(r[2].value);
    ASSERT_EQ(r[2].headers.size(), 1u);
    EXPECT_FALSE(r[2].headers[0].second);
}

TEST(RecordIterator, ReadsATransactionalBatchWrittenByAnotherClient) {
    const auto batch = from_hex(
        "0000000000000000000000490000000002ea534c2c0010000000010000018bcfe568000000018bcfe56800"
        "000000000000004d00057ffffffe00000002200000000261026204027804797a0265010c000102010100");
    auto h = validate_batch(batch);
    ASSERT_TRUE(h) << h.error().message();
    EXPECT_TRUE(h.value().is_transactional());
    EXPECT_EQ(h.value().last_sequence(), 2147483647);
    auto records = read_all_records(batch, kCap).value();
    ASSERT_EQ(records.size(), 2u);
    ASSERT_EQ(records[0].headers.size(), 2u);
    EXPECT_EQ(*records[0].headers[0].second, bytes("yz"));
    EXPECT_FALSE(records[0].headers[1].second);
    EXPECT_EQ(records[1].timestamp, 1699999999999);
    EXPECT_FALSE(records[1].key);
    EXPECT_FALSE(records[1].value);
}

TEST(RecordBatchBuilder, BuiltBatchesSplitFromOneBuffer) {
    std::vector<uint8_t> buf;
    for (int i = 0; i < 4; ++i) {
        BatchOptions o;
        o.base_offset = i * 3;
        o.codec = static_cast<Codec>(i + 1);
        RecordBatchBuilder b(o);
        b.add("a", "1", 5).add("b", "2", 6).add("c", "3", 7);
        auto batch = b.build().value();
        buf.insert(buf.end(), batch.begin(), batch.end());
    }
    auto split = split_batches(buf);
    ASSERT_EQ(split.batches.size(), 4u);
    EXPECT_FALSE(split.tail);
    for (int i = 0; i < 4; ++i) {
        auto records = read_all_records(split.batches[i], kCap).value();
        ASSERT_EQ(records.size(), 3u);
        EXPECT_EQ(records[2].offset, i * 3 + 2);
    }
}

}  // namespace
}  // namespace common::records
