// KafkaAdminClient against a real tributary-broker process (label integration): versions come
// from the broker's ApiVersions, DescribeCluster returns the cluster id the broker reports
// elsewhere (Metadata, meta.properties), a dead first bootstrap address is skipped, any generated
// request goes through send<>(), and a broker that stops gives an error, not a hang.

#include <gtest/gtest.h>

#include "common/protocol/messages/create_topics.h"
#include "operator/kafka_admin/kafka_admin_client.h"
#include "tests/operator/kafka_admin/broker_process.h"

namespace kop::kafka_admin {
namespace {

namespace proto = common::protocol;
using testing::BrokerProcess;

class KafkaAdminBrokerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(broker_.start(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    }
    void TearDown() override {
        if (HasFailure()) std::cerr << "--- broker log ---\n" << broker_.log_text() << "\n";
    }

    std::unique_ptr<KafkaAdminClient> connect(std::vector<std::string> bootstrap = {}) {
        if (bootstrap.empty()) bootstrap = {broker_.bootstrap()};
        auto client = KafkaAdminClient::connect(bootstrap);
        EXPECT_TRUE(client) << client.error().message();
        return client ? std::move(client).value() : nullptr;
    }

    BrokerProcess broker_;
};

TEST_F(KafkaAdminBrokerTest, DescribeClusterReturnsTheClusterIdTheBrokerReports) {
    auto client = connect();
    ASSERT_NE(client, nullptr);
    auto described = client->describe_cluster();
    ASSERT_TRUE(described) << described.error().message();
    const ClusterDescription& d = described.value();
    EXPECT_FALSE(d.cluster_id.empty());
    ASSERT_EQ(d.brokers.size(), 1u);
    EXPECT_EQ(d.brokers[0].id, 1);
    EXPECT_EQ(d.brokers[0].host, broker_.host());
    EXPECT_EQ(d.brokers[0].port, broker_.port());
    EXPECT_EQ(d.controller_id, 1);

    // The same id through another API, and in the broker's own files once it persists one.
    auto metadata = client->metadata(std::vector<std::string>{});
    ASSERT_TRUE(metadata) << metadata.error().message();
    ASSERT_TRUE(metadata.value().cluster_id.has_value());
    EXPECT_EQ(*metadata.value().cluster_id, d.cluster_id);
    std::string persisted = broker_.meta_property("cluster.id");
    if (!persisted.empty()) {
        EXPECT_EQ(persisted, d.cluster_id);
    }
}

TEST_F(KafkaAdminBrokerTest, VersionsAreTheHighestTheBrokerAndTheCodecsShare) {
    auto client = connect();
    ASSERT_NE(client, nullptr);
    const BrokerVersions& v = client->broker_versions();
    auto metadata = v.find(static_cast<int16_t>(proto::ApiKey::Metadata));
    ASSERT_NE(metadata, v.end());
    auto chosen =
        negotiate_version(v, proto::ApiKey::Metadata, 0, proto::MetadataRequest::kMaxVersion);
    ASSERT_TRUE(chosen);
    EXPECT_EQ(chosen.value(), std::min(metadata->second.max, proto::MetadataRequest::kMaxVersion));
}

TEST_F(KafkaAdminBrokerTest, ADeadFirstBootstrapAddressIsSkipped) {
    std::string dead_host = testing::private_loopback_address("dead-first");
    std::string dead = dead_host + ":" + std::to_string(testing::free_port(dead_host));
    auto client = connect({"not-an-address", dead, broker_.bootstrap()});
    ASSERT_NE(client, nullptr);
    EXPECT_EQ(client->address().str(), broker_.bootstrap());
    EXPECT_TRUE(client->describe_cluster());
}

TEST_F(KafkaAdminBrokerTest, AnyGeneratedRequestGoesThroughSend) {
    auto client = connect();
    ASSERT_NE(client, nullptr);
    proto::CreateTopicsRequest create;
    proto::CreateTopicsRequest::CreatableTopic topic;
    topic.name = "orders";
    topic.num_partitions = 3;
    topic.replication_factor = 1;
    create.topics.push_back(topic);
    create.timeout_ms = 10000;
    auto created = client->send<proto::CreateTopicsResponse>(create);
    ASSERT_TRUE(created) << created.error().message();
    ASSERT_EQ(created.value().topics.size(), 1u);
    EXPECT_EQ(created.value().topics[0].error_code, 0);

    auto metadata = client->metadata(std::vector<std::string>{"orders"});
    ASSERT_TRUE(metadata) << metadata.error().message();
    ASSERT_EQ(metadata.value().topics.size(), 1u);
    EXPECT_EQ(metadata.value().topics[0].error_code, 0);
    EXPECT_EQ(metadata.value().topics[0].partitions.size(), 3u);
}

TEST_F(KafkaAdminBrokerTest, AStoppedBrokerGivesAnErrorAndNotAHang) {
    auto client = connect();
    ASSERT_NE(client, nullptr);
    EXPECT_EQ(broker_.stop(), 0);
    auto described = client->describe_cluster();
    ASSERT_FALSE(described);
    EXPECT_EQ(described.error(), Errc::Disconnected) << described.error().message();
    ClientOptions options;
    options.timeout = std::chrono::milliseconds(500);
    auto again = KafkaAdminClient::connect({broker_.bootstrap()}, options);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error(), Errc::ConnectionRefused) << again.error().message();
}

}  // namespace
}  // namespace kop::kafka_admin
