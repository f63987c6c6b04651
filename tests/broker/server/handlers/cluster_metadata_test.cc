// Metadata, DescribeCluster, FindCoordinator, the group APIs and InitProducerId's ids in
// clustered mode, against a MetadataCache filled with records (no Raft) and a group coordinator
// over a fake store.

#include <gtest/gtest.h>

#include <future>

#include "broker/cluster/errc.h"
#include "broker/cluster/metadata_cache.h"
#include "broker/cluster/shard_set.h"
#include "broker/cluster/topics.h"
#include "broker/config/broker_config.h"
#include "broker/partition/producer_id_allocator.h"
#include "broker/server/groups/group_coordinator.h"
#include "broker/server/groups/offsets_record_codec.h"
#include "broker/server/handlers/delete_groups.h"
#include "broker/server/handlers/describe_cluster.h"
#include "broker/server/handlers/describe_groups.h"
#include "broker/server/handlers/find_coordinator.h"
#include "broker/server/handlers/heartbeat.h"
#include "broker/server/handlers/join_group.h"
#include "broker/server/handlers/list_groups.h"
#include "broker/server/handlers/metadata.h"
#include "broker/server/handlers/offset_fetch.h"
#include "broker/server/handlers/sync_group.h"
#include "broker/server/request_context.h"
#include "common/protocol/error_code.h"
#include "tests/broker/cluster/metadata_test_records.h"
#include "tests/testing/fake_group_store.h"

namespace broker::server::handlers {
namespace {

using common::protocol::ErrorCode;
namespace records = cluster::testing;

int16_t code(ErrorCode c) {
    return static_cast<int16_t>(c);
}

// Topic changes fail as on a broker that does not lead the quorum (or with `error`).
class FakeTopics final : public cluster::Topics {
  public:
    std::error_code error = make_error_code(cluster::Errc::NotController);
    int creates = 0;
    cluster::CreateTopicArgs last_create;

    std::shared_ptr<const cluster::TopicSnapshot> snapshot() override {
        return std::make_shared<const cluster::TopicSnapshot>();
    }
    common::awaitable<cluster::TopicOpStatus> create_topic(cluster::CreateTopicArgs args,
                                                           cluster::TopicInfo*) override {
        ++creates;
        last_create = std::move(args);
        co_return cluster::TopicOpStatus{error, "refused"};
    }
    common::awaitable<cluster::TopicOpStatus> delete_topic(std::string) override {
        co_return cluster::TopicOpStatus{error, ""};
    }
    common::awaitable<cluster::TopicOpStatus> create_partitions(std::string, int32_t,
                                                                bool) override {
        co_return cluster::TopicOpStatus{error, ""};
    }
    common::awaitable<cluster::TopicOpStatus> replace_configs(std::string, cluster::TopicConfigMap,
                                                              bool) override {
        co_return cluster::TopicOpStatus{error, ""};
    }
    common::awaitable<cluster::TopicOpStatus> alter_configs(std::string,
                                                            std::vector<cluster::ConfigChange>,
                                                            bool) override {
        co_return cluster::TopicOpStatus{error, ""};
    }
};

// Three registered brokers (racks a, b, c); 1 and 2 unfenced, 3 fenced. Topic "orders": p0 led
// by 1 with replicas 1,2,3 and ISR 1,2; p1 without a leader; p2 led by the fenced broker 3.
class ClusterMetadataTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config_.node_id = 2;
        std::vector<cluster::MetadataRecord> batch = {
            records::broker_record(1, 1, "a"),
            records::broker_record(2, 2, "b"),
            records::broker_record(3, 3, "c"),
            cluster::BrokerFencingRecord{1, 1, false},
            cluster::BrokerFencingRecord{2, 2, false},
            cluster::TopicRecord{"orders", records::uuid(1)},
            cluster::PartitionRecord{records::uuid(1), 0, {1, 2, 3}, {1, 2}, 1, 4, 0},
            cluster::PartitionRecord{records::uuid(1), 1, {2, 3, 1}, {2}, -1, 5, 0},
            cluster::PartitionRecord{records::uuid(1), 2, {3, 1, 2}, {3}, 3, 6, 0},
        };
        ASSERT_EQ(cache_.apply_entry(1, cluster::encode_batch(batch)), 0u);
        shards_.start();
        // A coordinator that leads no __consumer_offsets partition.
        groups_.set(0, std::make_unique<groups::GroupCoordinator>(
                           shards_.context(0).get_executor(),
                           std::make_unique<groups::testing::FakeGroupStore>(&group_data_, 2),
                           groups::GroupConfig{}, [] { return int64_t{0}; }, 1));
        services_ = Services{&config_, &shards_, &topics_, nullptr, "", &groups_};
        services_.metadata = &cache_;
        services_.controller_id = [this] { return controller_; };
    }
    void TearDown() override {
        shards_.stop();
        shards_.join();
    }

    template <class H>
    typename H::Response call(typename H::Request request, int16_t version) {
        return common::asio::co_spawn(shards_.context(0),
                                      run<H>(&services_, std::move(request), version),
                                      common::asio::use_future)
            .get();
    }
    template <class H>
    static common::awaitable<typename H::Response> run(const Services* services,
                                                       typename H::Request request,
                                                       int16_t version) {
        RequestContext ctx(*services, version, 7, "test", "127.0.0.1:1", 0, "PLAIN");
        co_return co_await H::handle(ctx, std::move(request));
    }

    config::BrokerConfig config_;
    cluster::MetadataCache cache_;
    cluster::ShardSet shards_{1};
    FakeTopics topics_;
    groups::testing::FakeGroupData group_data_;
    cluster::Sharded<groups::GroupCoordinator> groups_{1};
    int32_t controller_ = 1;
    Services services_;
};

MetadataHandler::Request all_topics() {
    MetadataHandler::Request request;
    request.topics = std::nullopt;
    return request;
}

TEST_F(ClusterMetadataTest, MetadataListsLiveBrokersWithRacksAndTheQuorumLeader) {
    auto response = call<MetadataHandler>(all_topics(), 12);
    ASSERT_EQ(response.brokers.size(), 2u);  // 3 is fenced
    EXPECT_EQ(response.brokers[0].node_id, 1);
    EXPECT_EQ(response.brokers[0].host, "b1.svc");
    EXPECT_EQ(response.brokers[0].port, 9092);
    EXPECT_EQ(response.brokers[0].rack, "a");
    EXPECT_EQ(response.brokers[1].node_id, 2);
    EXPECT_EQ(response.brokers[1].rack, "b");
    EXPECT_EQ(response.controller_id, 1);
}

TEST_F(ClusterMetadataTest, MetadataPartitionsCarryLeaderEpochReplicasIsrAndOfflineReplicas) {
    auto response = call<MetadataHandler>(all_topics(), 12);
    ASSERT_EQ(response.topics.size(), 1u);
    const auto& t = response.topics[0];
    EXPECT_EQ(t.name, "orders");
    EXPECT_EQ(t.topic_id, records::uuid(1));
    ASSERT_EQ(t.partitions.size(), 3u);
    const auto& p0 = t.partitions[0];
    EXPECT_EQ(p0.error_code, 0);
    EXPECT_EQ(p0.leader_id, 1);
    EXPECT_EQ(p0.leader_epoch, 4);
    EXPECT_EQ(p0.replica_nodes, (std::vector<int32_t>{1, 2, 3}));
    EXPECT_EQ(p0.isr_nodes, (std::vector<int32_t>{1, 2}));
    EXPECT_EQ(p0.offline_replicas, (std::vector<int32_t>{3}));
    EXPECT_EQ(t.partitions[1].error_code, code(ErrorCode::LeaderNotAvailable));
    EXPECT_EQ(t.partitions[1].leader_id, -1);
    // A leader that is fenced is not reachable: no leader for clients.
    EXPECT_EQ(t.partitions[2].error_code, code(ErrorCode::LeaderNotAvailable));
    EXPECT_EQ(t.partitions[2].leader_id, -1);
}

TEST_F(ClusterMetadataTest, MetadataByNameAndIdAndV0) {
    MetadataHandler::Request by_name;
    by_name.topics = std::vector<MetadataHandler::Request::MetadataRequestTopic>(1);
    (*by_name.topics)[0].name = "orders";
    EXPECT_EQ(call<MetadataHandler>(by_name, 1).topics.at(0).partitions.size(), 3u);

    MetadataHandler::Request by_id;
    by_id.topics = std::vector<MetadataHandler::Request::MetadataRequestTopic>(1);
    (*by_id.topics)[0].name = std::nullopt;
    (*by_id.topics)[0].topic_id = records::uuid(1);
    EXPECT_EQ(call<MetadataHandler>(by_id, 12).topics.at(0).name, "orders");

    MetadataHandler::Request v0;  // an empty list in v0: every topic
    EXPECT_EQ(call<MetadataHandler>(v0, 0).topics.size(), 1u);
}

TEST_F(ClusterMetadataTest, AutoCreateOnANonControllerAnswersLeaderNotAvailable) {
    MetadataHandler::Request request;
    request.topics = std::vector<MetadataHandler::Request::MetadataRequestTopic>(1);
    (*request.topics)[0].name = "fresh";
    request.allow_auto_topic_creation = true;
    auto response = call<MetadataHandler>(request, 9);
    EXPECT_EQ(response.topics.at(0).error_code, code(ErrorCode::LeaderNotAvailable));
    EXPECT_EQ(topics_.creates, 1);

    topics_.error = make_error_code(cluster::Errc::InvalidReplicationFactor);
    response = call<MetadataHandler>(request, 9);
    EXPECT_EQ(response.topics.at(0).error_code, code(ErrorCode::InvalidReplicationFactor));

    (*request.topics)[0].name = "__consumer_offsets";  // internal: FindCoordinator creates it
    response = call<MetadataHandler>(request, 9);
    EXPECT_EQ(response.topics.at(0).error_code, code(ErrorCode::UnknownTopicOrPartition));
    EXPECT_EQ(topics_.creates, 2);
}

TEST_F(ClusterMetadataTest, DescribeClusterListsLiveBrokersAndTheController) {
    auto response = call<DescribeClusterHandler>({}, 1);
    ASSERT_EQ(response.brokers.size(), 2u);
    EXPECT_EQ(response.brokers[1].broker_id, 2);
    EXPECT_EQ(response.brokers[1].host, "b2.svc");
    EXPECT_EQ(response.brokers[1].rack, "b");
    EXPECT_EQ(response.controller_id, 1);
}

TEST_F(ClusterMetadataTest, FindCoordinatorCreatesTheOffsetsTopicFirst) {
    config_.offsets_topic_num_partitions = 7;
    config_.offsets_topic_replication_factor = 2;
    FindCoordinatorHandler::Request request;
    request.key = "group";
    auto response = call<FindCoordinatorHandler>(request, 3);
    EXPECT_EQ(response.error_code, code(ErrorCode::CoordinatorNotAvailable));
    EXPECT_EQ(response.node_id, -1);
    ASSERT_EQ(topics_.creates, 1);
    EXPECT_EQ(topics_.last_create.name, "__consumer_offsets");
    EXPECT_TRUE(topics_.last_create.internal);
    EXPECT_EQ(topics_.last_create.partitions, 7);
    EXPECT_EQ(topics_.last_create.replication_factor, 2);
    EXPECT_EQ(topics_.last_create.configs.at("cleanup.policy"), "compact");
}

TEST_F(ClusterMetadataTest, FindCoordinatorNamesTheLeaderOfTheGroupsOffsetsPartition) {
    // __consumer_offsets-0 led by 1, -1 led by the fenced broker 3.
    std::vector<cluster::MetadataRecord> batch = {
        cluster::TopicRecord{"__consumer_offsets", records::uuid(2)},
        cluster::PartitionRecord{records::uuid(2), 0, {1, 2}, {1, 2}, 1, 1, 0},
        cluster::PartitionRecord{records::uuid(2), 1, {3, 1}, {3}, 3, 1, 0},
    };
    ASSERT_EQ(cache_.apply_entry(2, cluster::encode_batch(batch)), 0u);
    std::string on_0, on_1;  // a group in each partition
    for (int i = 0; on_0.empty() || on_1.empty(); ++i) {
        const std::string group = "g" + std::to_string(i);
        (groups::offsets_partition_for(group, 2) == 0 ? on_0 : on_1) = group;
    }

    FindCoordinatorHandler::Request request;
    request.key = on_0;
    auto response = call<FindCoordinatorHandler>(request, 3);
    EXPECT_EQ(response.error_code, 0);
    EXPECT_EQ(response.node_id, 1);
    EXPECT_EQ(response.host, "b1.svc");
    request.key = on_1;  // its leader is fenced: not reachable
    response = call<FindCoordinatorHandler>(request, 3);
    EXPECT_EQ(response.error_code, code(ErrorCode::CoordinatorNotAvailable));
    EXPECT_EQ(topics_.creates, 0);

    FindCoordinatorHandler::Request batched;  // v4+: one answer per key
    batched.key_type = 0;
    batched.coordinator_keys = {on_0, on_1};
    auto answers = call<FindCoordinatorHandler>(batched, 4);
    ASSERT_EQ(answers.coordinators.size(), 2u);
    EXPECT_EQ(answers.coordinators[0].node_id, 1);
    EXPECT_EQ(answers.coordinators[1].error_code, code(ErrorCode::CoordinatorNotAvailable));
}

TEST_F(ClusterMetadataTest, FindCoordinatorNamesNoLeaderItsRaftGroupHasNotReported) {
    // Just created: the leader is the placement's first replica, at leader epoch 0.
    std::vector<cluster::MetadataRecord> batch = {
        cluster::TopicRecord{"__consumer_offsets", records::uuid(2)},
        cluster::PartitionRecord{records::uuid(2), 0, {1, 2}, {1, 2}, 1, 0, 0},
    };
    ASSERT_EQ(cache_.apply_entry(2, cluster::encode_batch(batch)), 0u);
    FindCoordinatorHandler::Request request;
    request.key = "group";
    EXPECT_EQ(call<FindCoordinatorHandler>(request, 3).error_code,
              code(ErrorCode::CoordinatorNotAvailable));
    // Its Raft group elected broker 2 in term 1 and reported it.
    std::vector<cluster::MetadataRecord> reported = {
        cluster::PartitionChangeRecord{records::uuid(2), 0, 2, std::nullopt, std::nullopt, 1}};
    ASSERT_EQ(cache_.apply_entry(3, cluster::encode_batch(reported)), 0u);
    auto response = call<FindCoordinatorHandler>(request, 3);
    EXPECT_EQ(response.error_code, 0);
    EXPECT_EQ(response.node_id, 2);
}

TEST_F(ClusterMetadataTest, GroupApisOnABrokerThatLeadsNoOffsetsPartitionAnswerNotCoordinator) {
    HeartbeatHandler::Request heartbeat;
    heartbeat.group_id = "group";
    EXPECT_EQ(call<HeartbeatHandler>(heartbeat, 3).error_code, code(ErrorCode::NotCoordinator));
    JoinGroupHandler::Request join;
    join.group_id = "group";
    auto joined = call<JoinGroupHandler>(join, 5);
    EXPECT_EQ(joined.error_code, code(ErrorCode::NotCoordinator));
    EXPECT_EQ(joined.generation_id, -1);
    SyncGroupHandler::Request sync;
    sync.group_id = "group";
    EXPECT_EQ(call<SyncGroupHandler>(sync, 3).error_code, code(ErrorCode::NotCoordinator));
    OffsetFetchHandler::Request fetch;
    fetch.groups.emplace_back().group_id = "group";
    EXPECT_EQ(call<OffsetFetchHandler>(fetch, 8).groups.at(0).error_code,
              code(ErrorCode::NotCoordinator));
    DescribeGroupsHandler::Request describe;
    describe.groups = {"group"};
    EXPECT_EQ(call<DescribeGroupsHandler>(describe, 3).groups.at(0).error_code,
              code(ErrorCode::NotCoordinator));
    DeleteGroupsHandler::Request del;
    del.groups_names = {"group"};
    EXPECT_EQ(call<DeleteGroupsHandler>(del, 1).results.at(0).error_code,
              code(ErrorCode::NotCoordinator));
    auto listed = call<ListGroupsHandler>({}, 4);
    EXPECT_EQ(listed.error_code, 0);
    EXPECT_TRUE(listed.groups.empty());
}

TEST(ClusterProducerIdTest, IdsOfDifferentBrokersNeverMeet) {
    EXPECT_EQ(partition::cluster_producer_id(0, 1).value(), 1);
    EXPECT_EQ(partition::cluster_producer_id(1, 1).value(), partition::kProducerIdNodeStride + 1);
    EXPECT_NE(partition::cluster_producer_id(5, 2).value(),
              partition::cluster_producer_id(5, 3).value());
    const int64_t last = (int64_t{1} << 32) - 1;
    EXPECT_GT(partition::cluster_producer_id(last, INT32_MAX).value(), 0);
    EXPECT_FALSE(partition::cluster_producer_id(last + 1, 0));
    EXPECT_FALSE(partition::cluster_producer_id(-1, 0));
}

}  // namespace
}  // namespace broker::server::handlers
