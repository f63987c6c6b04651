#include "broker/storage/log_manager.h"

#include <gtest/gtest.h>

#include "broker/storage/fake_file_io.h"
#include "broker/storage/posix_file_io.h"
#include "common/errc.h"
#include "tests/broker/storage/storage_test_util.h"

namespace broker::storage {
namespace {

using testing::make_batch;

std::unique_ptr<LogManager> open_manager(FileIo& io, std::vector<std::string> dirs,
                                         LogConfig defaults = {}) {
    auto manager = LogManager::open(io, std::move(dirs), defaults, [] { return int64_t{0}; });
    EXPECT_TRUE(manager) << manager.error().message();
    return manager ? std::move(manager).value() : nullptr;
}

TEST(LogManagerTest, PartitionDirectoryNamesRoundTrip) {
    TopicPartition tp{"my-topic.v2", 12};
    EXPECT_EQ(partition_dir_name(tp), "my-topic.v2-12");
    EXPECT_EQ(parse_partition_dir("my-topic.v2-12"), tp);
    EXPECT_FALSE(parse_partition_dir("my-topic").has_value());
    EXPECT_FALSE(parse_partition_dir("t-0.deleted").has_value());
    EXPECT_FALSE(parse_partition_dir("-3").has_value());
    EXPECT_FALSE(parse_partition_dir("t-x").has_value());
    EXPECT_FALSE(is_valid_topic_name("a/b"));
    EXPECT_FALSE(is_valid_topic_name(".."));
    EXPECT_FALSE(is_valid_topic_name(std::string(250, 'a')));
}

TEST(LogManagerTest, ReopensEveryPartitionLogFoundUnderTheLogDirs) {
    testing::TempDir tmp;
    PosixFileIo io;
    const std::vector<std::string> dirs{tmp.path() + "/a", tmp.path() + "/b"};
    {
        auto manager = open_manager(io, dirs);
        for (int p = 0; p < 4; ++p) {
            auto log = manager->get_or_create({"orders", p}, LogConfig{});
            ASSERT_TRUE(log);
            auto batch = make_batch(p + 1, 1000);
            ASSERT_TRUE(log.value()->append(batch));
        }
        ASSERT_TRUE(manager->close());
    }
    auto manager = open_manager(io, dirs);
    ASSERT_EQ(manager->partitions().size(), 4u);
    for (int p = 0; p < 4; ++p) {
        Log* log = manager->get({"orders", p});
        ASSERT_NE(log, nullptr);
        EXPECT_EQ(log->log_end_offset(), p + 1);
    }
    // Spread over both directories.
    EXPECT_TRUE(std::filesystem::exists(dirs[0] + "/orders-0"));
    EXPECT_TRUE(std::filesystem::exists(dirs[1] + "/orders-1"));
}

TEST(LogManagerTest, RemoveDeletesTheDirectoryAndLeftoversAreCleanedAtOpen) {
    FakeFileIo io;
    auto manager = open_manager(io, {"/data"});
    ASSERT_TRUE(manager->get_or_create({"t", 0}, LogConfig{}));
    ASSERT_TRUE(manager->remove({"t", 0}));
    EXPECT_EQ(manager->get({"t", 0}), nullptr);
    EXPECT_FALSE(io.exists("/data/t-0"));
    EXPECT_FALSE(io.exists("/data/t-0.deleted"));
    ASSERT_TRUE(manager->remove({"t", 0}));  // already gone: fine

    ASSERT_TRUE(io.create_dirs("/data/u-1.deleted"));
    ASSERT_TRUE(io.open("/data/u-1.deleted/00000000000000000000.log", OpenMode::ReadWriteCreate));
    auto reopened = open_manager(io, {"/data"});
    EXPECT_FALSE(io.exists("/data/u-1.deleted"));
    EXPECT_TRUE(reopened->partitions().empty());
}

TEST(LogManagerTest, RefusesInvalidTopicNames) {
    FakeFileIo io;
    auto manager = open_manager(io, {"/data"});
    auto created = manager->get_or_create({"../etc", 0}, LogConfig{});
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error(), make_error_code(common::Errc::InvalidArgument));
}

TEST(LogManagerTest, RunsRetentionOnEveryLog) {
    FakeFileIo io;
    LogConfig config;
    config.segment_bytes = 300;
    config.retention_ms = 1000;
    auto manager = open_manager(io, {"/data"}, config);
    for (int p = 0; p < 2; ++p) {
        auto log = manager->get_or_create({"t", p}, config);
        ASSERT_TRUE(log);
        for (int i = 0; i < 10; ++i) {
            auto batch = make_batch(2, 5000 + i, 40);
            ASSERT_TRUE(log.value()->append(batch));
        }
        ASSERT_GT(log.value()->segment_count(), 2u);
    }
    EXPECT_EQ(manager->run_retention(5000), 0);
    EXPECT_GT(manager->run_retention(100'000), 0);
    for (int p = 0; p < 2; ++p) EXPECT_EQ(manager->get({"t", p})->segment_count(), 1u);
}

}  // namespace
}  // namespace broker::storage
