#include "broker/cluster/topic_table.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace broker::cluster {
namespace {

class TopicTableTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("topic_table_test_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_;
};

TEST_F(TopicTableTest, TopicsSurviveSaveAndReload) {
    TopicTable table(dir_);
    ASSERT_TRUE(table.load());
    TopicInfo orders{"orders", make_topic_id(), 3, 1, {{"retention.ms", "1000"}}};
    TopicInfo logs{"logs", make_topic_id(), 1, 1, {}};
    ASSERT_TRUE(table.add(orders));
    ASSERT_TRUE(table.add(logs));
    ASSERT_TRUE(table.save());

    TopicTable reloaded(dir_);
    ASSERT_TRUE(reloaded.load());
    ASSERT_NE(reloaded.find("orders"), nullptr);
    EXPECT_EQ(*reloaded.find("orders"), orders);
    EXPECT_EQ(*reloaded.find("logs"), logs);
    EXPECT_EQ(reloaded.size(), 2u);
    EXPECT_EQ(reloaded.snapshot()->find(orders.id)->name, "orders");
    EXPECT_FALSE(std::filesystem::exists(dir_ / "topics.json.tmp"));
}

TEST_F(TopicTableTest, RemoveAndUpdateArePersisted) {
    TopicTable table(dir_);
    ASSERT_TRUE(table.add({"a", make_topic_id(), 1, 1, {}}));
    ASSERT_TRUE(table.add({"b", make_topic_id(), 1, 1, {}}));
    ASSERT_TRUE(table.remove("a"));
    TopicInfo b = *table.find("b");
    b.partition_count = 5;
    ASSERT_TRUE(table.update(b));
    ASSERT_TRUE(table.save());
    TopicTable reloaded(dir_);
    ASSERT_TRUE(reloaded.load());
    EXPECT_EQ(reloaded.find("a"), nullptr);
    EXPECT_EQ(reloaded.find("b")->partition_count, 5);
}

TEST_F(TopicTableTest, DuplicateAddAndUnknownRemoveFail) {
    TopicTable table(dir_);
    ASSERT_TRUE(table.add({"a", make_topic_id(), 1, 1, {}}));
    EXPECT_FALSE(table.add({"a", make_topic_id(), 1, 1, {}}));
    EXPECT_FALSE(table.remove("zzz"));
}

TEST_F(TopicTableTest, CorruptFileIsAnErrorNotAnEmptyTable) {
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "topics.json") << "{not json";
    TopicTable table(dir_);
    EXPECT_FALSE(table.load());
}

TEST(TopicNameTest, FollowsKafkaRules) {
    EXPECT_EQ(check_topic_name("orders.v1_eu-west"), "");
    EXPECT_NE(check_topic_name(""), "");
    EXPECT_NE(check_topic_name("."), "");
    EXPECT_NE(check_topic_name(".."), "");
    EXPECT_NE(check_topic_name("has space"), "");
    EXPECT_NE(check_topic_name("slash/no"), "");
    EXPECT_EQ(check_topic_name(std::string(249, 'x')), "");
    EXPECT_NE(check_topic_name(std::string(250, 'x')), "");
}

TEST(TopicIdTest, IdsAreVersion4AndDistinct) {
    TopicId a = make_topic_id();
    TopicId b = make_topic_id();
    EXPECT_NE(a, b);
    EXPECT_EQ(a[6] >> 4, 4);
    EXPECT_NE(a, TopicId{});
}

}  // namespace
}  // namespace broker::cluster
