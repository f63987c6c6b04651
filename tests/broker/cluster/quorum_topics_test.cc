#include "broker/cluster/quorum_topics.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "broker/cluster/errc.h"
#include "broker/cluster/topic_command_service.h"
#include "broker/config/broker_config.h"
#include "broker/storage/posix_file_io.h"

namespace broker::cluster {
namespace {

namespace asio = common::asio;
using namespace std::chrono_literals;

constexpr auto kPatience = 60s;  // liveness bound for the waits, not a speed check

// One broker's clustered topic service: its shard, Raft host, quorum member and QuorumTopics.
struct Node {
    int32_t id = 0;
    ShardSet shards{1};
    std::unique_ptr<raft::NodeHost> host;
    std::unique_ptr<ControllerQuorum> quorum;
    std::unique_ptr<QuorumTopics> topics;
    // With forwarding (enable_forwarding): declared after the quorum, destroyed before it.
    std::unique_ptr<TopicForwarder> forwarder;
    std::unique_ptr<TopicCommandService> service;
    uint16_t port = 0;

    template <class F>
    auto on_shard(F f) {
        // Shared: the shard may still be inside task() when get() returns here.
        auto task = std::make_shared<std::packaged_task<decltype(f())()>>(std::move(f));
        auto result = task->get_future();
        asio::post(shards.context(0), [task] { (*task)(); });
        return result.get();
    }

    // Runs one Topics coroutine on the node's shard and waits for its status.
    template <class Op>
    TopicOpStatus call(Op op) {
        return asio::co_spawn(shards.context(0), op(*topics), asio::use_future).get();
    }
};

class QuorumTopicsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        root_ = std::filesystem::temp_directory_path() /
                ("tributary-quorum-topics-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(root_);
        raft::Membership voters;
        for (int32_t id = 1; id <= 3; ++id) {
            auto n = std::make_unique<Node>();
            n->id = id;
            n->host =
                std::make_unique<raft::NodeHost>(n->shards.context(0), files_, raft::NodeId(id));
            auto port = n->host->listen("127.0.0.1", 0);
            ASSERT_TRUE(port);
            n->port = port.value();
            ControllerQuorumOptions options;
            options.node_id = id;
            options.dir = (root_ / std::to_string(id)).string();
            options.settings = {2, 3};
            n->quorum = std::make_unique<ControllerQuorum>(n->shards.context(0), *n->host, options);
            n->topics = std::make_unique<QuorumTopics>(n->shards, 0, *n->quorum, broker_config_);
            voters.voters.push_back(raft::NodeId(id));
            nodes_.push_back(std::move(n));
        }
        for (auto& n : nodes_) {
            for (auto& other : nodes_) {
                if (other != n)
                    n->host->set_peer(raft::NodeId(other->id), "127.0.0.1", other->port);
            }
            ASSERT_TRUE(n->quorum->start(voters));
            n->shards.start();
        }
    }

    void TearDown() override {
        for (auto& n : nodes_) {
            n->on_shard([&n] {
                if (n->service) n->service->stop();
                n->quorum->stop();
                n->host->stop();
                return 0;
            });
            n->shards.stop();
            n->shards.join();
        }
        nodes_.clear();
        std::filesystem::remove_all(root_);
    }

    Node* leader() {
        auto deadline = std::chrono::steady_clock::now() + kPatience;
        while (std::chrono::steady_clock::now() < deadline) {
            for (auto& n : nodes_) {
                if (n->on_shard([&n] { return n->quorum->is_leader(); })) return n.get();
            }
            std::this_thread::sleep_for(10ms);
        }
        return nullptr;
    }

    // Registers and unfences the three brokers through the leader's quorum.
    void register_brokers(Node& lead) {
        for (int32_t id = 1; id <= 3; ++id) {
            BrokerRegistrationRequest r{
                id, Uuid{static_cast<uint8_t>(id)}, std::string(1, char('a' + id - 1)), {}};
            for (auto command : {ControllerQuorum::Command(
                                     [r](const Controller& c) { return c.register_broker(r); }),
                                 ControllerQuorum::Command([id](const Controller& c) {
                                     return c.unfence_broker(id, c.state().broker(id)->epoch);
                                 })}) {
                std::promise<ControllerResult> done;
                lead.on_shard([&] {
                    lead.quorum->submit(
                        command, [&done](ControllerResult result) { done.set_value(result); });
                    return 0;
                });
                ASSERT_TRUE(done.get_future().get());
            }
        }
    }

    // Every node forwards its topic changes to the leader and serves the others' commands.
    void enable_forwarding(std::chrono::milliseconds timeout) {
        for (auto& n : nodes_) {
            TopicForwarderOptions options;
            options.node_id = n->id;
            options.timeout = timeout;
            n->forwarder =
                std::make_unique<TopicForwarder>(*n->host, *n->quorum, broker_config_, options);
            n->service = std::make_unique<TopicCommandService>(*n->quorum, broker_config_);
            n->on_shard([&n] {
                n->service->start(*n->host);
                return 0;
            });
            n->topics = std::make_unique<QuorumTopics>(n->shards, 0, *n->quorum, broker_config_,
                                                       n->forwarder.get());
        }
    }

    bool everywhere(const std::function<bool(const TopicSnapshot&)>& pred) {
        auto deadline = std::chrono::steady_clock::now() + kPatience;
        while (std::chrono::steady_clock::now() < deadline) {
            bool all = true;
            for (auto& n : nodes_) all = all && pred(*n->topics->snapshot());
            if (all) return true;
            std::this_thread::sleep_for(10ms);
        }
        return false;
    }

    storage::PosixFileIo files_;
    config::BrokerConfig broker_config_;  // broker defaults of list configs
    std::filesystem::path root_;
    std::vector<std::unique_ptr<Node>> nodes_;
};

TEST_F(QuorumTopicsTest, TopicChangesGoThroughTheLeaderAndReachEveryBroker) {
    Node* lead = leader();
    ASSERT_NE(lead, nullptr);
    register_brokers(*lead);

    CreateTopicArgs args;
    args.name = "orders";
    args.configs = {{"retention.ms", "60000"}};
    for (auto& n : nodes_) {
        if (n.get() == lead) continue;
        auto refused = n->call([args](Topics& t) { return t.create_topic(args, nullptr); });
        EXPECT_EQ(refused.error, make_error_code(Errc::NotController));
    }
    TopicInfo created;
    auto status =
        lead->call([args, &created](Topics& t) { return t.create_topic(args, &created); });
    ASSERT_TRUE(status) << status.message;
    EXPECT_EQ(created.partition_count, 2);     // num.partitions
    EXPECT_EQ(created.replication_factor, 3);  // default.replication.factor
    ASSERT_TRUE(everywhere([&](const TopicSnapshot& s) {
        const auto* t = s.find("orders");
        return t && *t == created;
    }));

    EXPECT_TRUE(lead->call([](Topics& t) { return t.create_partitions("orders", 4, false); }));
    std::vector<ConfigChange> changes{{"retention.ms", ConfigChange::Op::Delete, std::nullopt},
                                      {"cleanup.policy", ConfigChange::Op::Set, "compact"}};
    EXPECT_TRUE(
        lead->call([changes](Topics& t) { return t.alter_configs("orders", changes, false); }));
    ASSERT_TRUE(everywhere([](const TopicSnapshot& s) {
        const auto* t = s.find("orders");
        return t && t->partition_count == 4 &&
               t->configs == TopicConfigMap{{"cleanup.policy", "compact"}};
    }));

    // APPEND / SUBTRACT follow the single-node rules (apply_config_change).
    std::vector<ConfigChange> lists{{"cleanup.policy", ConfigChange::Op::Append, "delete"},
                                    {"cleanup.policy", ConfigChange::Op::Subtract, "compact"}};
    EXPECT_TRUE(lead->call([lists](Topics& t) { return t.alter_configs("orders", lists, false); }));
    ASSERT_TRUE(everywhere([](const TopicSnapshot& s) {
        const auto* t = s.find("orders");
        return t && t->configs == TopicConfigMap{{"cleanup.policy", "delete"}};
    }));
    std::vector<ConfigChange> not_list{{"retention.ms", ConfigChange::Op::Append, "5"}};
    auto refused =
        lead->call([not_list](Topics& t) { return t.alter_configs("orders", not_list, false); });
    EXPECT_EQ(refused.error, make_error_code(Errc::InvalidConfig));

    auto too_big = lead->call([](Topics& t) {
        CreateTopicArgs big;
        big.name = "big";
        big.replication_factor = 4;
        return t.create_topic(big, nullptr);
    });
    EXPECT_EQ(too_big.error, make_error_code(Errc::InvalidReplicationFactor));

    EXPECT_TRUE(lead->call([](Topics& t) { return t.delete_topic("orders"); }));
    ASSERT_TRUE(everywhere([](const TopicSnapshot& s) { return s.find("orders") == nullptr; }));
}

}  // namespace
}  // namespace broker::cluster

namespace broker::cluster {
namespace {

TEST_F(QuorumTopicsTest, FollowersForwardChangesToTheLeaderAndSeeThemWhenAnswered) {
    enable_forwarding(kPatience);
    Node* lead = leader();
    ASSERT_NE(lead, nullptr);
    register_brokers(*lead);

    for (auto& n : nodes_) {
        if (n.get() == lead) continue;
        const std::string name = "forwarded-" + std::to_string(n->id);
        CreateTopicArgs args;
        args.name = name;
        args.configs = {{"retention.ms", "60000"}};
        args.validate_only = true;
        auto checked = n->call([args](Topics& t) { return t.create_topic(args, nullptr); });
        ASSERT_TRUE(checked) << checked.message;
        EXPECT_EQ(n->topics->snapshot()->find(name), nullptr);  // validate_only creates nothing

        args.validate_only = false;
        TopicInfo created;
        auto status =
            n->call([args, &created](Topics& t) { return t.create_topic(args, &created); });
        ASSERT_TRUE(status) << status.message;
        EXPECT_EQ(created.partition_count, 2);  // num.partitions
        EXPECT_EQ(created.replication_factor, 3);
        auto here = n->topics->snapshot();  // this broker applied it before answering
        ASSERT_NE(here->find(name), nullptr);
        EXPECT_EQ(*here->find(name), created);

        auto again = n->call([args](Topics& t) { return t.create_topic(args, nullptr); });
        EXPECT_EQ(again.error, make_error_code(Errc::TopicAlreadyExists));

        EXPECT_TRUE(n->call([name](Topics& t) { return t.create_partitions(name, 5, true); }));
        EXPECT_EQ(n->topics->snapshot()->find(name)->partition_count, 2);
        EXPECT_TRUE(n->call([name](Topics& t) { return t.create_partitions(name, 5, false); }));
        EXPECT_EQ(n->topics->snapshot()->find(name)->partition_count, 5);

        std::vector<ConfigChange> changes{{"retention.ms", ConfigChange::Op::Delete, std::nullopt},
                                          {"cleanup.policy", ConfigChange::Op::Set, "compact"}};
        EXPECT_TRUE(
            n->call([name, changes](Topics& t) { return t.alter_configs(name, changes, false); }));
        EXPECT_EQ(n->topics->snapshot()->find(name)->configs,
                  (TopicConfigMap{{"cleanup.policy", "compact"}}));
        std::vector<ConfigChange> not_list{{"retention.ms", ConfigChange::Op::Append, "5"}};
        auto refused =
            n->call([name, not_list](Topics& t) { return t.alter_configs(name, not_list, false); });
        EXPECT_EQ(refused.error, make_error_code(Errc::InvalidConfig));
        EXPECT_FALSE(refused.message.empty());
        EXPECT_TRUE(n->call([name](Topics& t) {
            return t.replace_configs(name, {{"retention.bytes", "1024"}}, false);
        }));
        EXPECT_EQ(n->topics->snapshot()->find(name)->configs,
                  (TopicConfigMap{{"retention.bytes", "1024"}}));

        EXPECT_TRUE(n->call([name](Topics& t) { return t.delete_topic(name); }));
        EXPECT_EQ(n->topics->snapshot()->find(name), nullptr);
        auto unknown = n->call([name](Topics& t) { return t.delete_topic(name); });
        EXPECT_EQ(unknown.error, make_error_code(Errc::UnknownTopic));
    }
}

TEST_F(QuorumTopicsTest, WithoutAQuorumAForwardedCreateEndsWithinTheRequestsTimeout) {
    enable_forwarding(kPatience);  // the default bound; the request asks for less
    Node* lead = leader();
    ASSERT_NE(lead, nullptr);
    register_brokers(*lead);
    Node* alone = nullptr;
    for (auto& n : nodes_) {
        if (n.get() != lead && alone == nullptr) {
            alone = n.get();
            continue;
        }
        n->on_shard([&n] {
            n->quorum->stop();  // the others leave: no majority, no leader
            return 0;
        });
    }
    ASSERT_NE(alone, nullptr);
    CreateTopicArgs args;
    args.name = "nowhere";
    args.timeout = 1s;
    auto started = std::chrono::steady_clock::now();
    auto status = alone->call([args](Topics& t) { return t.create_topic(args, nullptr); });
    // A liveness bound, not a speed check: far below the forwarder's default of kPatience.
    EXPECT_LT(std::chrono::steady_clock::now() - started, kPatience / 2);
    EXPECT_TRUE(status.error == make_error_code(Errc::NotController) ||
                status.error == make_error_code(Errc::RequestTimedOut))
        << status.error.message();
    EXPECT_EQ(alone->topics->snapshot()->find("nowhere"), nullptr);
}

}  // namespace
}  // namespace broker::cluster
