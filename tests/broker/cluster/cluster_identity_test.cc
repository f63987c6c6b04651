#include "broker/cluster/cluster_identity.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "broker/cluster/durable_file.h"

namespace broker::cluster {
namespace {

class ClusterIdentityTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("tributary-identity-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    void write(const std::string& text) { std::ofstream(dir_ / MetaProperties::kFileName) << text; }
    std::filesystem::path dir_;
};

TEST_F(ClusterIdentityTest, GeneratedIdsHaveKafkasForm) {
    std::mt19937_64 rng(42);
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        std::string id = generate_cluster_id(rng);
        EXPECT_EQ(id.size(), 22u);
        EXPECT_TRUE(is_valid_cluster_id(id)) << id;
        EXPECT_NE(id.front(), '-');
        EXPECT_EQ(id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789-_"),
                  std::string::npos);
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 1000u);
}

TEST_F(ClusterIdentityTest, KnownBytesEncodeLikeUrlSafeBase64) {
    // Sixteen zero bytes -> 22 'A's; the validity check rejects stray bits in the last char.
    EXPECT_TRUE(is_valid_cluster_id(std::string(22, 'A')));
    EXPECT_FALSE(is_valid_cluster_id(std::string(21, 'A') + "B"));
    EXPECT_FALSE(is_valid_cluster_id(std::string(21, 'A')));
    EXPECT_FALSE(is_valid_cluster_id(std::string(21, 'A') + "="));
    EXPECT_FALSE(is_valid_cluster_id("tributary-single-node"));
}

TEST_F(ClusterIdentityTest, FirstStartWritesMetaPropertiesAndLaterStartsReadIt) {
    std::string error;
    auto first = load_or_create_meta_properties(dir_, 3, &error);
    ASSERT_TRUE(first) << error;
    EXPECT_EQ(first.value().node_id, 3);
    EXPECT_TRUE(is_valid_cluster_id(first.value().cluster_id));
    auto text = read_whole_file(dir_ / MetaProperties::kFileName);
    ASSERT_TRUE(text);
    EXPECT_NE(text.value().find("cluster.id=" + first.value().cluster_id), std::string::npos);
    EXPECT_NE(text.value().find("node.id=3"), std::string::npos);
    EXPECT_NE(text.value().find("version=1"), std::string::npos);
    auto again = load_or_create_meta_properties(dir_, 3, &error);
    ASSERT_TRUE(again) << error;
    EXPECT_EQ(again.value(), first.value());
}

TEST_F(ClusterIdentityTest, DifferentNodeIdIsRefusedWithBothIds) {
    std::string error;
    ASSERT_TRUE(load_or_create_meta_properties(dir_, 1, &error));
    auto other = load_or_create_meta_properties(dir_, 2, &error);
    EXPECT_FALSE(other);
    EXPECT_NE(error.find("belongs to node.id 1"), std::string::npos) << error;
    EXPECT_NE(error.find("node.id 2"), std::string::npos) << error;
}

TEST_F(ClusterIdentityTest, MalformedFilesAreRefusedNotReplaced) {
    std::string error;
    write("version=1\nnode.id=1\n");
    EXPECT_FALSE(load_or_create_meta_properties(dir_, 1, &error));
    EXPECT_NE(error.find("cluster.id"), std::string::npos) << error;
    write("version=9\nnode.id=1\ncluster.id=" + std::string(22, 'A') + "\n");
    EXPECT_FALSE(load_or_create_meta_properties(dir_, 1, &error));
    EXPECT_NE(error.find("version"), std::string::npos) << error;
    write("version=1\nnode.id=x\ncluster.id=" + std::string(22, 'A') + "\n");
    EXPECT_FALSE(load_or_create_meta_properties(dir_, 1, &error));
    EXPECT_NE(error.find("node.id"), std::string::npos) << error;
    // A Kafka-written file (with a comment and extra keys) is accepted.
    write("#\n#Sun Nov 22\nnode.id=1\ndirectory.id=abc\nversion=1\ncluster.id=" +
          std::string(22, 'A') + "\n");
    auto kafka = load_or_create_meta_properties(dir_, 1, &error);
    ASSERT_TRUE(kafka) << error;
    EXPECT_EQ(kafka.value().cluster_id, std::string(22, 'A'));
}

constexpr const char* kConfigured = "D4-tW9nLRp-hZXCGdyiVDg";

TEST_F(ClusterIdentityTest, FreshDirectoryIsFormattedWithTheConfiguredId) {
    std::string error;
    auto opened = open_meta_properties(dir_, 2, kConfigured, &error);
    ASSERT_TRUE(opened) << error;
    EXPECT_TRUE(opened.value().created);
    EXPECT_EQ(opened.value().meta.cluster_id, kConfigured);
    auto again = open_meta_properties(dir_, 2, kConfigured, &error);
    ASSERT_TRUE(again) << error;
    EXPECT_FALSE(again.value().created);
    EXPECT_EQ(again.value().meta, opened.value().meta);
    // Without a configured id, the stored one is kept.
    auto unconfigured = open_meta_properties(dir_, 2, "", &error);
    ASSERT_TRUE(unconfigured) << error;
    EXPECT_EQ(unconfigured.value().meta.cluster_id, kConfigured);
}

TEST_F(ClusterIdentityTest, NewIdLeftUnwrittenWhenAsked) {
    std::string error;
    auto opened = open_meta_properties(dir_, 2, "", &error, /*write_new=*/false);
    ASSERT_TRUE(opened) << error;
    EXPECT_TRUE(opened.value().created);
    EXPECT_TRUE(is_valid_cluster_id(opened.value().meta.cluster_id));
    EXPECT_FALSE(std::filesystem::exists(dir_ / MetaProperties::kFileName));
    // Still fresh at the next start: another new id, again unwritten.
    auto again = open_meta_properties(dir_, 2, "", &error, /*write_new=*/false);
    ASSERT_TRUE(again) << error;
    EXPECT_TRUE(again.value().created);
    // An existing file is read whatever write_new says.
    ASSERT_TRUE(rewrite_cluster_id(dir_, opened.value().meta, kConfigured));
    auto stored = open_meta_properties(dir_, 2, "", &error, /*write_new=*/false);
    ASSERT_TRUE(stored) << error;
    EXPECT_FALSE(stored.value().created);
    EXPECT_EQ(stored.value().meta.cluster_id, kConfigured);
}

TEST_F(ClusterIdentityTest, ExistingFileOfAnotherClusterIsRefusedNamingBothIds) {
    std::string error;
    auto first = open_meta_properties(dir_, 1, "", &error);
    ASSERT_TRUE(first) << error;
    EXPECT_TRUE(first.value().created);
    const std::string stored = first.value().meta.cluster_id;
    auto other = open_meta_properties(dir_, 1, kConfigured, &error);
    EXPECT_FALSE(other);
    EXPECT_NE(error.find("belongs to cluster " + stored), std::string::npos) << error;
    EXPECT_NE(error.find("configured with cluster.id " + std::string(kConfigured)),
              std::string::npos)
        << error;
    // The file is left as it was.
    auto kept = load_or_create_meta_properties(dir_, 1, &error);
    ASSERT_TRUE(kept) << error;
    EXPECT_EQ(kept.value().cluster_id, stored);
}

TEST_F(ClusterIdentityTest, MalformedConfiguredIdIsNeverWritten) {
    std::string error;
    EXPECT_FALSE(open_meta_properties(dir_, 1, "my-cluster", &error));
    EXPECT_NE(error.find("my-cluster"), std::string::npos) << error;
    EXPECT_FALSE(std::filesystem::exists(dir_ / MetaProperties::kFileName));
}

TEST_F(ClusterIdentityTest, RewriteReplacesOnlyTheClusterId) {
    std::string error;
    auto meta = load_or_create_meta_properties(dir_, 4, &error);
    ASSERT_TRUE(meta) << error;
    auto rewritten = rewrite_cluster_id(dir_, meta.value(), kConfigured);
    ASSERT_TRUE(rewritten);
    EXPECT_EQ(rewritten.value().cluster_id, kConfigured);
    EXPECT_EQ(rewritten.value().node_id, 4);
    auto read = load_or_create_meta_properties(dir_, 4, &error);
    ASSERT_TRUE(read) << error;
    EXPECT_EQ(read.value(), rewritten.value());
}

}  // namespace
}  // namespace broker::cluster
