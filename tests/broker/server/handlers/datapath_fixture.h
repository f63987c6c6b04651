#pragma once
// DatapathFixture: real shards (two io_context threads), real PartitionManagers over in-memory
// logs, a fake topic table and a RequestContext, for tests of the Produce, Fetch, ListOffsets
// and InitProducerId handlers. Everything is torn down (threads joined, temp dirs removed) at the
// end of each test.

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <mutex>

#include "broker/cluster/shard_set.h"
#include "broker/cluster/sharded.h"
#include "broker/cluster/topic_config.h"
#include "broker/cluster/topics.h"
#include "broker/config/broker_config.h"
#include "broker/partition/partition_manager.h"
#include "broker/server/request_context.h"
#include "tests/broker/partition/fake_partition_log.h"

namespace broker::server::testing {

using partition::testing::FakeLogState;
using partition::testing::FakePartitionLog;

// One shard's in-memory log store; touched only on its shard.
class MemoryLogStore final : public partition::PartitionLogStore {
  public:
    explicit MemoryLogStore(std::filesystem::path root) : root_(std::move(root)) {}
    common::Result<std::unique_ptr<partition::PartitionLog>> open(
        const std::string& topic, int32_t index, const storage::LogConfig&) override {
        auto& state = logs_[{topic, index}];
        if (!state) {
            state = std::make_shared<FakeLogState>();
            state->dir = root_ / (topic + "-" + std::to_string(index));
            std::filesystem::create_directories(state->dir);
        }
        return std::unique_ptr<partition::PartitionLog>(std::make_unique<FakePartitionLog>(state));
    }
    common::Result<void> remove(const std::string& topic, int32_t index) override {
        logs_.erase({topic, index});
        return common::ok();
    }
    common::Result<void> set_config(const std::string&, int32_t,
                                    const storage::LogConfig&) override {
        return common::ok();
    }
    std::filesystem::path root_dir() const override { return root_; }
    void run_retention(int64_t) override {}

  private:
    std::filesystem::path root_;
    std::map<std::pair<std::string, int32_t>, std::shared_ptr<FakeLogState>> logs_;
};

class DatapathFixture;

// Topic table double: topics live in a snapshot; creation opens the partitions on their shards.
class FakeTopics final : public cluster::Topics {
  public:
    explicit FakeTopics(DatapathFixture* fixture) : fixture_(fixture) {}
    std::shared_ptr<const cluster::TopicSnapshot> snapshot() override {
        std::lock_guard lock(mu_);
        return std::make_shared<cluster::TopicSnapshot>(topics_);
    }
    boost::asio::awaitable<cluster::TopicOpStatus> create_topic(
        cluster::CreateTopicArgs args, cluster::TopicInfo* created) override;
    boost::asio::awaitable<cluster::TopicOpStatus> delete_topic(std::string) override {
        co_return cluster::TopicOpStatus{};
    }
    boost::asio::awaitable<cluster::TopicOpStatus> create_partitions(std::string, int32_t,
                                                                     bool) override {
        co_return cluster::TopicOpStatus{};
    }
    boost::asio::awaitable<cluster::TopicOpStatus> replace_configs(std::string,
                                                                   cluster::TopicConfigMap,
                                                                   bool) override {
        co_return cluster::TopicOpStatus{};
    }
    boost::asio::awaitable<cluster::TopicOpStatus> alter_configs(std::string,
                                                                 std::vector<cluster::ConfigChange>,
                                                                 bool) override {
        co_return cluster::TopicOpStatus{};
    }
    void add(const cluster::TopicInfo& info) {
        std::lock_guard lock(mu_);
        topics_[info.name] = info;
    }

  private:
    DatapathFixture* fixture_;
    std::mutex mu_;
    std::map<std::string, cluster::TopicInfo, std::less<>> topics_;
};

class DatapathFixture : public ::testing::Test {
  protected:
    static constexpr cluster::ShardIndex kShards = 2;

    DatapathFixture() {
        root_ = std::filesystem::temp_directory_path() /
                ("datapath-handlers-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(root_);
        std::filesystem::create_directories(root_);
        config_.auto_create_topics_enable = false;
        for (cluster::ShardIndex s = 0; s < kShards; ++s) {
            managers_.set(s, std::make_unique<partition::PartitionManager>(
                                 shards_.context(s).get_executor(),
                                 std::make_unique<MemoryLogStore>(root_ / std::to_string(s))));
        }
        services_.config = &config_;
        services_.shards = &shards_;
        services_.topics = &topics_;
        services_.partitions = &managers_;
        shards_.start();
    }
    ~DatapathFixture() override {
        shards_.stop();
        shards_.join();
        std::filesystem::remove_all(root_);
    }

  public:
    cluster::ShardSet& shards() { return shards_; }
    cluster::Sharded<partition::PartitionManager>& managers() { return managers_; }

    // Opens every partition of `info` on its owning shard, with the settings its configs give,
    // and publishes the topic.
    void create_topic(const cluster::TopicInfo& info) {
        const auto settings = cluster::partition_settings_for(info.configs, config_);
        for (int32_t p = 0; p < info.partition_count; ++p) {
            const auto shard = cluster::shard_of(info.name, p, kShards);
            auto* pm = &managers_.on(shard);
            std::promise<bool> done;
            common::asio::post(shards_.context(shard), [&, pm, p] {
                done.set_value(static_cast<bool>(pm->create(info.name, p, {}, settings)));
            });
            EXPECT_TRUE(done.get_future().get());
        }
        topics_.add(info);
    }

  protected:
    void create_topic(const std::string& name, int32_t partitions,
                      cluster::TopicConfigMap configs = {}) {
        cluster::TopicInfo info;
        info.name = name;
        info.partition_count = partitions;
        info.configs = std::move(configs);
        create_topic(info);
    }

    // Runs a handler on shard 0 as the dispatcher would, and returns its response.
    template <class H>
    typename H::Response call(typename H::Request request, int16_t version,
                              bool* suppressed = nullptr) {
        RequestContext ctx(services_, version, 1, std::string("test"), "127.0.0.1:1", 0);
        auto f = common::asio::co_spawn(shards_.context(0), H::handle(ctx, std::move(request)),
                                        common::asio::use_future);
        auto response = f.get();
        if (suppressed) *suppressed = ctx.response_suppressed();
        return response;
    }

    std::filesystem::path root_;
    config::BrokerConfig config_;
    cluster::ShardSet shards_{kShards};
    cluster::Sharded<partition::PartitionManager> managers_{kShards};
    FakeTopics topics_{this};
    Services services_;
};

inline bool open_partition(partition::PartitionManager* pm, std::string topic, int32_t index) {
    return static_cast<bool>(pm->create(topic, index, {}, {}));
}

inline boost::asio::awaitable<cluster::TopicOpStatus> FakeTopics::create_topic(
    cluster::CreateTopicArgs args, cluster::TopicInfo* created) {
    cluster::TopicInfo info;
    info.name = args.name;
    info.partition_count = args.partitions.value_or(1);
    for (int32_t p = 0; p < info.partition_count; ++p) {
        const auto shard = cluster::shard_of(info.name, p, fixture_->shards().size());
        co_await fixture_->shards().invoke_on(shard, open_partition,
                                              &fixture_->managers().on(shard), info.name, p);
    }
    add(info);
    if (created) *created = info;
    co_return cluster::TopicOpStatus{};
}

}  // namespace broker::server::testing
