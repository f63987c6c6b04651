#include "broker/partition/partition_manager.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/broker/partition/fake_partition_log.h"

namespace broker::partition {
namespace {

using testing::FakeLogState;
using testing::FakePartitionLog;

// In-memory store: one FakeLogState per (topic, partition), kept across open/close.
class FakeStore final : public PartitionLogStore {
  public:
    explicit FakeStore(
        std::map<std::pair<std::string, int32_t>, std::shared_ptr<FakeLogState>>* logs)
        : logs_(logs) {}
    common::Result<std::unique_ptr<PartitionLog>> open(const std::string& topic, int32_t partition,
                                                       const storage::LogConfig&) override {
        auto& state = (*logs_)[{topic, partition}];
        if (!state) {
            state = std::make_shared<FakeLogState>();
            state->dir = std::filesystem::temp_directory_path() /
                         ("pm-test-" + std::to_string(::getpid()) + "-" + topic);
            std::filesystem::create_directories(state->dir);
        }
        return std::unique_ptr<PartitionLog>(std::make_unique<FakePartitionLog>(state));
    }
    common::Result<void> remove(const std::string& topic, int32_t partition) override {
        auto it = logs_->find({topic, partition});
        if (it != logs_->end()) {
            std::filesystem::remove_all(it->second->dir);
            logs_->erase(it);
        }
        return common::ok();
    }
    std::filesystem::path root_dir() const override {
        return std::filesystem::temp_directory_path() /
               ("pm-test-root-" + std::to_string(::getpid()));
    }
    common::Result<void> set_config(const std::string&, int32_t,
                                    const storage::LogConfig& config) override {
        last_config = config;
        return common::ok();
    }
    void run_retention(int64_t) override { ++retention_runs; }
    int retention_runs = 0;
    std::optional<storage::LogConfig> last_config;

  private:
    std::map<std::pair<std::string, int32_t>, std::shared_ptr<FakeLogState>>* logs_;
};

TEST(PartitionManager, CreateGetRemove) {
    common::asio::io_context io;
    std::map<std::pair<std::string, int32_t>, std::shared_ptr<FakeLogState>> logs;
    PartitionManager pm(io.get_executor(), std::make_unique<FakeStore>(&logs));
    auto p = pm.create("orders", 0, {}, {});
    ASSERT_TRUE(p);
    EXPECT_EQ(pm.get("orders", 0), p.value());
    EXPECT_EQ(pm.create("orders", 0, {}, {}).value(), p.value());
    EXPECT_EQ(pm.get("orders", 1), nullptr);
    EXPECT_EQ(pm.size(), 1u);
    ASSERT_TRUE(pm.remove("orders", 0));
    EXPECT_EQ(pm.get("orders", 0), nullptr);
    EXPECT_TRUE(logs.empty());
    EXPECT_TRUE(pm.remove("orders", 7));
}

TEST(PartitionManager, ReopeningAnOpenPartitionAppliesTheNewConfig) {
    common::asio::io_context io;
    std::map<std::pair<std::string, int32_t>, std::shared_ptr<FakeLogState>> logs;
    auto store = std::make_unique<FakeStore>(&logs);
    FakeStore* store_view = store.get();
    PartitionManager pm(io.get_executor(), std::move(store));
    auto p = pm.create("orders", 0, {}, {});
    ASSERT_TRUE(p);
    EXPECT_FALSE(store_view->last_config.has_value());  // a first open configures through open()

    storage::LogConfig changed;
    changed.retention_bytes = 4096;
    auto again = pm.create("orders", 0, changed, {});
    ASSERT_TRUE(again);
    EXPECT_EQ(again.value(), p.value());
    ASSERT_TRUE(store_view->last_config.has_value());
    EXPECT_EQ(store_view->last_config->retention_bytes, 4096);
}

TEST(PartitionManager, CloseAllClosesEveryPartition) {
    common::asio::io_context io;
    std::map<std::pair<std::string, int32_t>, std::shared_ptr<FakeLogState>> logs;
    PartitionManager pm(io.get_executor(), std::make_unique<FakeStore>(&logs));
    ASSERT_TRUE(pm.create("a", 0, {}, {}));
    ASSERT_TRUE(pm.create("b", 3, {}, {}));
    ASSERT_TRUE(pm.close_all());
    EXPECT_EQ(pm.size(), 0u);
    EXPECT_EQ(logs.at({"a", 0})->flushes, 1);
    EXPECT_EQ(logs.at({"b", 3})->flushes, 1);
    for (auto& [k, s] : logs) std::filesystem::remove_all(s->dir);
}

TEST(PartitionManager, ProducerIdsAreDistinctAndPersisted) {
    common::asio::io_context io;
    std::map<std::pair<std::string, int32_t>, std::shared_ptr<FakeLogState>> logs;
    auto store = std::make_unique<FakeStore>(&logs);
    const auto root = store->root_dir();
    std::filesystem::remove_all(root);
    PartitionManager pm(io.get_executor(), std::move(store));
    auto a = pm.allocate_producer_id();
    auto b = pm.allocate_producer_id();
    ASSERT_TRUE(a);
    ASSERT_TRUE(b);
    EXPECT_NE(a.value(), b.value());
    EXPECT_TRUE(std::filesystem::exists(root / "producer_id_block"));
    std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace broker::partition
