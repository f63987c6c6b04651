#pragma once
// AdminFixture: one real shard, a real TopicController over a per-test temp dir (no partition
// managers), and helpers to run a handler and wait for its response.

#include <gtest/gtest.h>

#include <filesystem>
#include <future>

#include "broker/cluster/shard_set.h"
#include "broker/cluster/topic_controller.h"
#include "broker/config/broker_config.h"
#include "broker/server/request_context.h"

namespace broker::server::testing {

class AdminFixture : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("admin_handlers_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::string error;
        config_ = config::build_config({{"log.dirs", dir_.string()},
                                        {"num.partitions", "2"},
                                        {"log.retention.hours", "2"}},
                                       &error)
                      .value();
        shards_ = std::make_unique<cluster::ShardSet>(1);
        shards_->start();
        topics_ = std::make_unique<cluster::TopicController>(config_, *shards_, nullptr);
        ASSERT_TRUE(topics_->start());
        services_ = Services{&config_, shards_.get(), topics_.get(), nullptr};
    }
    void TearDown() override {
        shards_->stop();
        shards_->join();
        std::filesystem::remove_all(dir_);
    }

    // Runs H::handle for `version` on shard 0 and returns the response.
    template <class H>
    typename H::Response call(typename H::Request request, int16_t version) {
        auto future = common::asio::co_spawn(shards_->context(0),
                                             run<H>(&services_, std::move(request), version),
                                             common::asio::use_future);
        return future.get();
    }

    template <class H>
    static common::awaitable<typename H::Response> run(const Services* services,
                                                       typename H::Request request,
                                                       int16_t version) {
        RequestContext ctx(*services, version, 7, "test-client", "127.0.0.1:1", 0);
        co_return co_await H::handle(ctx, std::move(request));
    }

    std::filesystem::path dir_;
    config::BrokerConfig config_;
    std::unique_ptr<cluster::ShardSet> shards_;
    std::unique_ptr<cluster::TopicController> topics_;
    Services services_;
};

}  // namespace broker::server::testing
