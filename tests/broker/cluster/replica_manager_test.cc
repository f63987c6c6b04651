// ReplicaManager on three brokers in one process: each has its own NodeHost on 127.0.0.x, its
// own disk directory (real LogManager and Raft storage), a MetadataCache fed the same metadata
// records, and a PartitionManager through which the data path is reached, as the handlers do.

#include "broker/cluster/replica_manager.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>

#include "broker/cluster/metadata_record.h"
#include "broker/partition/errc.h"
#include "broker/partition/storage_log_store.h"
#include "broker/storage/log_manager.h"
#include "broker/storage/posix_file_io.h"
#include "common/asio.h"
#include "common/errc.h"
#include "tests/broker/partition/test_batches.h"

namespace broker::cluster {
namespace {

namespace asio = common::asio;
namespace fs = std::filesystem;
using partition::ProduceResult;

Uuid topic_uuid(uint8_t tag) {
    Uuid id{};
    id[0] = tag;
    id[15] = 0x33;
    return id;
}

common::awaitable<void> produce_into(std::shared_ptr<partition::DataPath> p,
                                     std::vector<uint8_t> batch,
                                     std::optional<common::Result<ProduceResult>>* out) {
    *out = co_await p->produce(std::move(batch), -1, 2);
}

// One broker: Raft host, logs, partition manager of shard 0, metadata cache, replica manager.
struct Node {
    Node(asio::io_context& io, int32_t node_id, fs::path root)
        : id(node_id), address("127.0.0." + std::to_string(40 + node_id)), dir(std::move(root)) {
        start(io);
    }
    void start(asio::io_context& io) {
        host = std::make_unique<raft::NodeHost>(io, files, raft::NodeId(id));
        port = host->listen(address, port).value();
        logs = storage::LogManager::open(files, {(dir / "data").string()}, {}).value();
        partitions = std::make_unique<partition::PartitionManager>(
            io.get_executor(), std::make_unique<partition::StorageLogStore>(logs.get()));
        cache = std::make_unique<MetadataCache>();
        ReplicaManagerOptions options;
        options.node_id = id;
        options.balance_leaders = false;  // tests call balance_leaders() themselves
        options.group_dir = [d = dir](raft::GroupId g) {
            return (d / "data" / "__raft" / std::to_string(g.value())).string();
        };
        replicas = std::make_unique<ReplicaManager>(io, *host, *partitions, config, options);
        replicas->start(*cache);
    }
    void halt() {
        replicas->stop();
        replicas.reset();
        host->stop();
        host.reset();
        partitions.reset();
        (void)logs->close();
        logs.reset();
        cache.reset();
    }

    int32_t id;
    std::string address;
    fs::path dir;
    uint16_t port = 0;
    config::BrokerConfig config;
    storage::PosixFileIo files;
    std::unique_ptr<raft::NodeHost> host;
    std::unique_ptr<storage::LogManager> logs;
    std::unique_ptr<partition::PartitionManager> partitions;
    std::unique_ptr<MetadataCache> cache;
    std::unique_ptr<ReplicaManager> replicas;
    int64_t applied = 0;
};

class ReplicaManagerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() /
                ("tributary-replicas-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root_);
        for (int32_t id = 1; id <= 3; ++id) {
            nodes_.push_back(
                std::make_unique<Node>(io_, id, root_ / ("node-" + std::to_string(id))));
        }
        for (auto& n : nodes_) connect(*n);
    }
    void TearDown() override {
        for (auto& n : nodes_) {
            if (n->host) n->halt();
        }
        fs::remove_all(root_);
    }
    void connect(Node& n) {
        for (auto& other : nodes_) {
            if (other.get() == &n) continue;
            n.host->set_peer(raft::NodeId(other->id), other->address, other->port);
            if (other->host) other->host->set_peer(raft::NodeId(n.id), n.address, n.port);
        }
    }
    // What the controller quorum would commit, applied to every node's cache.
    void apply(Node& n, const std::vector<MetadataRecord>& records) {
        EXPECT_EQ(n.cache->apply_entry(++n.applied, encode_batch(records)), 0u);
    }
    void apply_all(const std::vector<MetadataRecord>& records) {
        for (auto& n : nodes_) apply(*n, records);
    }
    bool run_until(const std::function<bool()>& done) {
        auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!done()) {
            if (std::chrono::steady_clock::now() > give_up) return false;
            io_.restart();
            io_.run_for(std::chrono::milliseconds(5));
        }
        return true;
    }
    // The node whose ReplicaManager reports leading (topic id, partition) with `isr` replicas.
    Node* leader_of(const Uuid& topic, size_t isr) {
        for (auto& n : nodes_) {
            if (!n->replicas) continue;
            for (const auto& r : n->replicas->leader_reports()) {
                if (r.topic_id == topic && r.isr.size() >= isr) return n.get();
            }
        }
        return nullptr;
    }
    common::Result<ProduceResult> produce(Node& n, const std::string& topic,
                                          const std::string& value) {
        auto p = n.partitions->data_path(topic, 0);
        if (!p) return p.error();
        std::optional<common::Result<ProduceResult>> out;
        asio::co_spawn(
            io_, produce_into(p.value(), partition::testing::make_batch({.values = {value}}), &out),
            asio::detached);
        EXPECT_TRUE(run_until([&] { return out.has_value(); }));
        return out ? *out : common::Result<ProduceResult>(common::Errc::IoError);
    }

    fs::path root_;
    asio::io_context io_;
    std::vector<std::unique_ptr<Node>> nodes_;
};

TEST_F(ReplicaManagerTest, OpensAssignedReplicasReportsOneLeaderAndServesOnlyThere) {
    const Uuid orders = topic_uuid(1);
    const Uuid solo = topic_uuid(2);
    apply_all({TopicRecord{"orders", orders},
               PartitionRecord{orders, 0, {1, 2, 3}, {1, 2, 3}, 1, 0, 0}, TopicRecord{"solo", solo},
               PartitionRecord{solo, 0, {1}, {1}, 1, 0, 0}});
    EXPECT_TRUE(run_until([&] { return nodes_[2]->replicas->size() == 1; }));
    EXPECT_EQ(nodes_[0]->replicas->size(), 2u);
    ASSERT_TRUE(run_until([&] { return leader_of(orders, 3) != nullptr; }));
    Node* leader = leader_of(orders, 3);
    for (int i = 0; i < 10; ++i) {
        auto r = produce(*leader, "orders", "v" + std::to_string(i));
        ASSERT_TRUE(r) << r.error().message();
        EXPECT_EQ(r.value().base_offset, i);
    }
    // Exactly one leader reports the partition, with its term as epoch.
    int reporters = 0;
    for (auto& n : nodes_) {
        for (const auto& r : n->replicas->leader_reports()) {
            if (r.topic_id != orders) continue;
            ++reporters;
            EXPECT_EQ(r.leader_epoch, n->replicas->replica("orders", 0)->leader_epoch());
        }
    }
    EXPECT_EQ(reporters, 1);
    for (auto& n : nodes_) {
        if (n.get() == leader) continue;
        auto r = produce(*n, "orders", "x");
        EXPECT_EQ(r.error(), partition::Errc::NotLeaderOrFollower) << n->id;
    }
    // Every replica applies the committed batches to its Kafka log.
    ASSERT_TRUE(run_until([&] {
        for (auto& n : nodes_) {
            if (n->replicas->replica("orders", 0)->high_watermark() != 10) return false;
        }
        return true;
    }));
    // Not a replica of "solo": the topic exists, this broker does not lead it.
    EXPECT_EQ(nodes_[1]->partitions->data_path("solo", 0).error(),
              partition::Errc::NotLeaderOrFollower);
    ASSERT_TRUE(run_until([&] { return leader_of(solo, 1) == nodes_[0].get(); }));
    auto solo_produce = produce(*nodes_[0], "solo", "s");
    EXPECT_EQ(solo_produce.error(), partition::Errc::NotEnoughReplicas);  // min ISR 2, one replica
}

// A broker's registration (epoch 1) as the controller records it; it starts fenced.
MetadataRecord registration(int32_t id) {
    return RegisterBrokerRecord{
        id, topic_uuid(static_cast<uint8_t>(100 + id)), 1, std::nullopt, {}, true};
}

TEST_F(ReplicaManagerTest, LeadershipMovesToTheLivePreferredReplicaOnly) {
    const Uuid orders = topic_uuid(3);
    apply_all(
        {TopicRecord{"orders", orders}, PartitionRecord{orders, 0, {2, 1, 3}, {2, 1, 3}, 2, 0, 0}});
    ASSERT_TRUE(run_until([&] { return leader_of(orders, 3) != nullptr; }));
    Node* leader = leader_of(orders, 3);
    if (leader == nodes_[1].get()) {
        // Broker 2 won the election: hand the leadership to broker 1 first.
        raft::RaftNode* node = leader->host->node(partition::partition_group_id(orders, 0));
        ASSERT_NE(node, nullptr);
        ASSERT_TRUE(node->transfer_leadership(raft::NodeId(1)));
        ASSERT_TRUE(run_until([&] { return leader_of(orders, 3) == nodes_[0].get(); }));
        leader = nodes_[0].get();
    }
    // No broker is registered yet: the preferred one (2) is not live, nothing moves.
    EXPECT_EQ(leader->replicas->balance_leaders(), 0u);
    // Registered but fenced: still nothing.
    apply_all({registration(2)});
    EXPECT_EQ(leader->replicas->balance_leaders(), 0u);
    // Live and in sync: the leader hands the partition to broker 2.
    apply_all({registration(1), registration(3), BrokerFencingRecord{1, 1, false},
               BrokerFencingRecord{2, 1, false}, BrokerFencingRecord{3, 1, false}});
    ASSERT_TRUE(run_until([&] { return leader->replicas->balance_leaders() == 1u; }));
    ASSERT_TRUE(run_until([&] { return leader_of(orders, 3) == nodes_[1].get(); }));
    // The preferred replica leads: nothing more to do anywhere.
    for (auto& n : nodes_) EXPECT_EQ(n->replicas->balance_leaders(), 0u) << n->id;
    auto r = produce(*nodes_[1], "orders", "after");
    ASSERT_TRUE(r) << r.error().message();
}

TEST_F(ReplicaManagerTest, DeletedTopicClosesItsGroupsAndDeletesTheirData) {
    const Uuid orders = topic_uuid(1);
    apply_all(
        {TopicRecord{"orders", orders}, PartitionRecord{orders, 0, {1, 2, 3}, {1, 2, 3}, 1, 0, 0}});
    ASSERT_TRUE(run_until([&] { return leader_of(orders, 3) != nullptr; }));
    ASSERT_TRUE(produce(*leader_of(orders, 3), "orders", "v"));
    const auto group = partition::partition_group_id(orders, 0);
    auto raft_dir = [&](Node& n) {
        return n.dir / "data" / "__raft" / std::to_string(group.value());
    };
    for (auto& n : nodes_) {
        EXPECT_TRUE(fs::exists(raft_dir(*n)));
        EXPECT_TRUE(fs::exists(n->dir / "data" / "orders-0"));
    }
    apply_all({RemoveTopicRecord{orders}});
    ASSERT_TRUE(run_until([&] {
        for (auto& n : nodes_) {
            if (n->replicas->size() != 0) return false;
        }
        return true;
    }));
    for (auto& n : nodes_) {
        EXPECT_EQ(n->host->node(group), nullptr);
        EXPECT_FALSE(fs::exists(raft_dir(*n)));
        EXPECT_FALSE(fs::exists(n->dir / "data" / "orders-0"));
        EXPECT_EQ(n->partitions->data_path("orders", 0).error(),
                  partition::Errc::NotLeaderOrFollower);
    }
    // The same name again is a new group that starts empty.
    const Uuid again = topic_uuid(3);
    apply_all(
        {TopicRecord{"orders", again}, PartitionRecord{again, 0, {1, 2, 3}, {1, 2, 3}, 1, 0, 0}});
    ASSERT_TRUE(run_until([&] { return leader_of(again, 3) != nullptr; }));
    auto r = produce(*leader_of(again, 3), "orders", "w");
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r.value().base_offset, 0);
}

TEST_F(ReplicaManagerTest, RestartedBrokersReopenTheirGroupsFromDisk) {
    const Uuid orders = topic_uuid(1);
    const std::vector<MetadataRecord> records{
        TopicRecord{"orders", orders}, PartitionRecord{orders, 0, {1, 2, 3}, {1, 2, 3}, 1, 0, 0}};
    apply_all(records);
    ASSERT_TRUE(run_until([&] { return leader_of(orders, 3) != nullptr; }));
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(produce(*leader_of(orders, 3), "orders", "v"));
    ASSERT_TRUE(run_until([&] {
        for (auto& n : nodes_) {
            if (n->replicas->replica("orders", 0)->high_watermark() != 5) return false;
        }
        return true;
    }));
    for (auto& n : nodes_) n->halt();
    for (auto& n : nodes_) {
        n->applied = 0;
        n->start(io_);
    }
    for (auto& n : nodes_) connect(*n);
    apply_all(records);
    ASSERT_TRUE(run_until([&] { return leader_of(orders, 3) != nullptr; }));
    Node* leader = leader_of(orders, 3);
    auto r = produce(*leader, "orders", "after");
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r.value().base_offset, 5);
    // The new leader's term is past the first one's: epochs grow across restarts.
    EXPECT_GT(leader->replicas->replica("orders", 0)->leader_epoch(), 1);
}

}  // namespace
}  // namespace broker::cluster
