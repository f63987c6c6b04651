#include "common/cluster_id.h"

#include <gtest/gtest.h>

namespace common {
namespace {

TEST(ClusterIdTest, SixteenBytesEncodeAsUrlSafeBase64WithoutPadding) {
    EXPECT_EQ(encode_cluster_id(ClusterIdBytes{}), std::string(22, 'A'));
    ClusterIdBytes ones;
    ones.fill(0xff);
    EXPECT_EQ(encode_cluster_id(ones), "_____________________w");
    EXPECT_TRUE(is_valid_cluster_id(encode_cluster_id(ones)));
}

TEST(ClusterIdTest, ValidityNeedsTwentyTwoAlphabetCharactersWithoutStrayBits) {
    EXPECT_TRUE(is_valid_cluster_id(std::string(22, 'A')));
    EXPECT_TRUE(is_valid_cluster_id("D4-tW9nLRp-hZXCGdyiVDg"));
    EXPECT_FALSE(is_valid_cluster_id(std::string(21, 'A') + "B"));
    EXPECT_FALSE(is_valid_cluster_id(std::string(21, 'A')));
    EXPECT_FALSE(is_valid_cluster_id(std::string(23, 'A')));
    EXPECT_FALSE(is_valid_cluster_id(std::string(21, 'A') + "="));
    EXPECT_FALSE(is_valid_cluster_id("D4+tW9nLRp/hZXCGdyiVDg"));
    EXPECT_FALSE(is_valid_cluster_id(""));
}

TEST(ClusterIdTest, UuidTextGivesItsSixteenBytesEncoded) {
    EXPECT_EQ(cluster_id_from_uuid("0f8fad5b-d9cb-469f-a165-70867728950e"),
              "D4-tW9nLRp-hZXCGdyiVDg");
    EXPECT_EQ(cluster_id_from_uuid("0F8FAD5B-D9CB-469F-A165-70867728950E"),
              "D4-tW9nLRp-hZXCGdyiVDg");
    EXPECT_EQ(cluster_id_from_uuid("00000000-0000-0000-0000-000000000000"), std::string(22, 'A'));
}

TEST(ClusterIdTest, AUuidNeverGivesAnIdStartingWithADash) {
    // 0xf8..0xfb would encode to '-' first; the top bit goes and it encodes to 'e'.
    for (const char* uuid :
         {"f8000000-0000-0000-0000-000000000000", "fb000000-0000-0000-0000-000000000000"}) {
        auto id = cluster_id_from_uuid(uuid);
        ASSERT_TRUE(id.has_value()) << uuid;
        EXPECT_EQ(id->front(), 'e') << *id;
        EXPECT_TRUE(is_valid_cluster_id(*id)) << *id;
    }
    EXPECT_EQ(cluster_id_from_uuid("f8000000-0000-0000-0000-000000000000"),
              "e" + std::string(21, 'A'));
    EXPECT_EQ(cluster_id_from_uuid("f7000000-0000-0000-0000-000000000000")->front(), '9');
}

TEST(ClusterIdTest, TextThatIsNotAUuidGivesNothing) {
    EXPECT_EQ(cluster_id_from_uuid(""), std::nullopt);
    EXPECT_EQ(cluster_id_from_uuid("0f8fad5bd9cb469fa16570867728950e"), std::nullopt);
    EXPECT_EQ(cluster_id_from_uuid("0f8fad5b-d9cb-469f-a165-70867728950"), std::nullopt);
    EXPECT_EQ(cluster_id_from_uuid("0f8fad5b-d9cb-469f-a165-70867728950e0"), std::nullopt);
    EXPECT_EQ(cluster_id_from_uuid("0f8fad5b_d9cb-469f-a165-70867728950e"), std::nullopt);
    EXPECT_EQ(cluster_id_from_uuid("0f8fad5b-d9cb-469f-a165-70867728950g"), std::nullopt);
    EXPECT_EQ(cluster_id_from_uuid("0f8fad5b-d9cb-469f-a165-7086772895-e"), std::nullopt);
}

}  // namespace
}  // namespace common
