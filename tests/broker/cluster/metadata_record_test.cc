#include "broker/cluster/metadata_record.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "common/errc.h"
#include "metadata_test_records.h"

namespace broker::cluster {
namespace {

using testing::every_record_type;

TEST(MetadataRecordTest, EveryRecordTypeRoundTrips) {
    std::set<RecordType> types;
    for (const auto& record : every_record_type()) {
        types.insert(type_of(record));
        auto bytes = encode_record(record);
        auto decoded = decode_record(bytes);
        ASSERT_TRUE(decoded) << record_type_name(type_of(record));
        EXPECT_EQ(decoded.value(), record) << record_type_name(type_of(record));
        EXPECT_EQ(encode_record(decoded.value()), bytes);
    }
    EXPECT_EQ(types.size(), 9u);  // every type is covered
}

TEST(MetadataRecordTest, PartitionChangeIsVersion0WithoutALeaderEpochAnd1WithOne) {
    PartitionChangeRecord old{testing::uuid(3), 7, 2, std::nullopt, std::nullopt, std::nullopt};
    auto v0 = encode_record(old);
    EXPECT_EQ(v0[2], 0);
    EXPECT_EQ(v0[3], 0);
    old.leader_epoch = 5;
    auto v1 = encode_record(old);
    EXPECT_EQ(v1[3], 1);
    EXPECT_EQ(v1.size(), v0.size() + 4);
    // A version-1 record cut back to version-0 length is truncated; a negative epoch malformed.
    EXPECT_FALSE(decode_record(std::span<const uint8_t>(v1).first(v0.size())));
    v1[v1.size() - 4] = 0xff;
    EXPECT_FALSE(decode_record(v1));
}

TEST(MetadataRecordTest, OptionalFieldsRoundTripWhenAbsentAndPresent) {
    PartitionChangeRecord empty{testing::uuid(3), 7,           std::nullopt, std::nullopt,
                                std::nullopt,     std::nullopt};
    PartitionChangeRecord full{
        testing::uuid(3), 7, -1, std::vector<int32_t>{}, std::vector<int32_t>{4, 5, 6}, 12};
    ConfigRecord deletion{ConfigResourceType::Broker, "3", "x", std::nullopt};
    for (MetadataRecord r :
         {MetadataRecord(empty), MetadataRecord(full), MetadataRecord(deletion)}) {
        auto decoded = decode_record(encode_record(r));
        ASSERT_TRUE(decoded);
        EXPECT_EQ(decoded.value(), r);
    }
}

TEST(MetadataRecordTest, ClusterIdIsTypeNineWithTheIdAsAString) {
    auto bytes = encode_record(ClusterIdRecord{testing::kClusterId});
    // int16 type 9, int16 version 0, int16 length 22, the id.
    ASSERT_EQ(bytes.size(), 6u + 22u);
    EXPECT_EQ(bytes[1], 9);
    EXPECT_EQ(bytes[3], 0);
    EXPECT_EQ(bytes[5], 22);
    EXPECT_EQ(std::string(bytes.begin() + 6, bytes.end()), testing::kClusterId);
    auto decoded = decode_record(bytes);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(std::get<ClusterIdRecord>(decoded.value()).cluster_id, testing::kClusterId);
    EXPECT_STREQ(record_type_name(RecordType::ClusterId), "ClusterId");
    auto newer = bytes;
    newer[3] = 1;
    EXPECT_EQ(decode_record(newer).error(), common::Errc::Unsupported);
}

TEST(MetadataRecordTest, BatchRoundTrips) {
    auto records = every_record_type();
    auto decoded = decode_batch(encode_batch(records));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded.value(), records);
    auto none = decode_batch(encode_batch({}));
    ASSERT_TRUE(none);
    EXPECT_TRUE(none.value().empty());
}

TEST(MetadataRecordTest, EveryTruncationIsRejected) {
    for (const auto& record : every_record_type()) {
        auto bytes = encode_record(record);
        for (size_t n = 0; n < bytes.size(); ++n) {
            EXPECT_FALSE(decode_record(std::span(bytes.data(), n)))
                << record_type_name(type_of(record)) << " cut at " << n;
        }
    }
    auto batch = encode_batch(every_record_type());
    for (size_t n = 0; n < batch.size(); ++n) {
        EXPECT_FALSE(decode_batch(std::span(batch.data(), n))) << "batch cut at " << n;
    }
}

TEST(MetadataRecordTest, TrailingBytesUnknownTypesAndNewerVersionsAreRejected) {
    auto bytes = encode_record(TopicRecord{"t", testing::uuid(1)});
    auto longer = bytes;
    longer.push_back(0);
    EXPECT_EQ(decode_record(longer).error(), common::Errc::Malformed);
    auto unknown = bytes;
    unknown[1] = 99;
    EXPECT_EQ(decode_record(unknown).error(), common::Errc::Unsupported);
    auto newer = bytes;
    newer[3] = 1;
    EXPECT_EQ(decode_record(newer).error(), common::Errc::Unsupported);
    auto bad_resource = encode_record(ConfigRecord{ConfigResourceType::Topic, "t", "k", "v"});
    bad_resource[4] = 3;
    EXPECT_FALSE(decode_record(bad_resource));
}

TEST(MetadataRecordTest, RandomBytesNeverCrashTheDecoder) {
    std::mt19937 rng(7);
    auto sample = encode_batch(every_record_type());
    for (int i = 0; i < 20000; ++i) {
        auto bytes = sample;
        int flips = 1 + static_cast<int>(rng() % 4);
        for (int f = 0; f < flips; ++f) bytes[rng() % bytes.size()] = static_cast<uint8_t>(rng());
        (void)decode_batch(bytes);  // must return, valid or not
        std::vector<uint8_t> noise(rng() % 64);
        for (auto& b : noise) b = static_cast<uint8_t>(rng());
        (void)decode_record(noise);
        (void)decode_batch(noise);
    }
    SUCCEED();
}

}  // namespace
}  // namespace broker::cluster
