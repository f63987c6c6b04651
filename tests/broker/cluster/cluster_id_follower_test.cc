#include "broker/cluster/cluster_id_follower.h"

#include <gtest/gtest.h>

#include <optional>

#include "broker/cluster/durable_file.h"

namespace broker::cluster {
namespace {

constexpr const char* kQuorumId = "D4-tW9nLRp-hZXCGdyiVDg";

TEST(ClusterIdDecisionTest, WaitsKeepsAdoptsOrRefuses) {
    const std::string local(22, 'A');
    EXPECT_EQ(decide_cluster_id(local, true, ""), ClusterIdAction::Wait);
    EXPECT_EQ(decide_cluster_id(local, false, ""), ClusterIdAction::Wait);
    EXPECT_EQ(decide_cluster_id(local, false, local), ClusterIdAction::Keep);
    EXPECT_EQ(decide_cluster_id(local, true, local), ClusterIdAction::Keep);
    EXPECT_EQ(decide_cluster_id(local, true, kQuorumId), ClusterIdAction::Adopt);
    EXPECT_EQ(decide_cluster_id(local, false, kQuorumId), ClusterIdAction::Refuse);
}

class ClusterIdFollowerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("tributary-cid-follower-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        std::string error;
        auto meta = load_or_create_meta_properties(dir_, 1, &error);
        ASSERT_TRUE(meta) << error;
        local_ = meta.value();
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::unique_ptr<ClusterIdFollower> follower(bool adoptable) {
        return std::make_unique<ClusterIdFollower>(
            dir_, local_, adoptable, [this](const MetaProperties& m) { accepted_ = m; },
            [this](const std::string& why) { refused_ = why; });
    }

    static MetadataState with_id(const std::string& id) {
        MetadataState state;
        EXPECT_TRUE(state.apply(ClusterIdRecord{id}));
        return state;
    }

    std::string stored_id() {
        std::string error;
        auto meta = load_or_create_meta_properties(dir_, 1, &error);
        EXPECT_TRUE(meta) << error;
        return meta ? meta.value().cluster_id : "";
    }

    std::filesystem::path dir_;
    MetaProperties local_;
    std::optional<MetaProperties> accepted_;
    std::optional<std::string> refused_;
};

TEST_F(ClusterIdFollowerTest, NothingHappensUntilTheQuorumHasAnId) {
    auto f = follower(false);
    f->observe(MetadataState{});
    EXPECT_FALSE(f->settled());
    EXPECT_FALSE(accepted_ || refused_);
}

TEST_F(ClusterIdFollowerTest, TheSameIdIsAcceptedOnce) {
    auto f = follower(false);
    f->observe(with_id(local_.cluster_id));
    ASSERT_TRUE(accepted_);
    EXPECT_EQ(*accepted_, local_);
    accepted_.reset();
    f->observe(with_id(local_.cluster_id));
    EXPECT_FALSE(accepted_);
    EXPECT_TRUE(f->settled());
}

TEST_F(ClusterIdFollowerTest, FreshDirectoryAdoptsTheQuorumsIdDurably) {
    auto f = follower(true);
    f->observe(with_id(kQuorumId));
    ASSERT_TRUE(accepted_);
    EXPECT_FALSE(refused_);
    EXPECT_EQ(accepted_->cluster_id, kQuorumId);
    EXPECT_EQ(accepted_->node_id, 1);
    EXPECT_EQ(stored_id(), kQuorumId);
}

// A fresh clustered node: start-up made an id but left meta.properties unwritten.
TEST_F(ClusterIdFollowerTest, UnwrittenIdIsWrittenOnceTheQuorumHasTheSame) {
    std::filesystem::remove(dir_ / MetaProperties::kFileName);
    auto f = follower(true);
    f->observe(MetadataState{});
    EXPECT_FALSE(std::filesystem::exists(dir_ / MetaProperties::kFileName));
    f->observe(with_id(local_.cluster_id));
    ASSERT_TRUE(accepted_);
    EXPECT_EQ(*accepted_, local_);
    EXPECT_EQ(stored_id(), local_.cluster_id);
}

TEST_F(ClusterIdFollowerTest, UnwrittenIdGivesWayToTheQuorumsId) {
    std::filesystem::remove(dir_ / MetaProperties::kFileName);
    auto f = follower(true);
    f->observe(with_id(kQuorumId));
    ASSERT_TRUE(accepted_);
    EXPECT_EQ(accepted_->cluster_id, kQuorumId);
    EXPECT_EQ(stored_id(), kQuorumId);
}

TEST_F(ClusterIdFollowerTest, DirectoryOfAnotherClusterIsRefusedAndLeftAlone) {
    auto f = follower(false);
    f->observe(with_id(kQuorumId));
    EXPECT_FALSE(accepted_);
    ASSERT_TRUE(refused_);
    EXPECT_NE(refused_->find("data directory " + dir_.string() + " belongs to cluster " +
                             local_.cluster_id + ", the controller quorum is cluster " + kQuorumId),
              std::string::npos)
        << *refused_;
    EXPECT_EQ(stored_id(), local_.cluster_id);
    refused_.reset();
    f->observe(with_id(kQuorumId));
    EXPECT_FALSE(refused_);  // once
}

}  // namespace
}  // namespace broker::cluster
