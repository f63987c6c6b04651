#include "broker/server/handlers/create_partitions.h"
#include "broker/server/handlers/create_topics.h"
#include "broker/server/handlers/delete_topics.h"
#include "broker/server/handlers/metadata.h"
#include "common/protocol/error_code.h"
#include "tests/broker/server/handlers/admin_fixture.h"

namespace broker::server::handlers {
namespace {

using common::protocol::ErrorCode;
using testing::AdminFixture;

int16_t code(ErrorCode c) {
    return static_cast<int16_t>(c);
}

CreateTopicsHandler::Request::CreatableTopic topic(const std::string& name, int32_t partitions,
                                                   int16_t rf) {
    CreateTopicsHandler::Request::CreatableTopic t;
    t.name = name;
    t.num_partitions = partitions;
    t.replication_factor = rf;
    return t;
}

class TopicHandlersTest : public AdminFixture {
  protected:
    void create(const std::string& name, int32_t partitions) {
        CreateTopicsHandler::Request request;
        request.topics.push_back(topic(name, partitions, 1));
        auto response = call<CreateTopicsHandler>(request, 4);
        ASSERT_EQ(response.topics.at(0).error_code, 0);
    }
};

TEST_F(TopicHandlersTest, CreateTopicsAnswersEachTopicInRequestOrder) {
    create("existing", 1);
    CreateTopicsHandler::Request request;
    request.topics.push_back(topic("fresh", 3, 1));
    request.topics.push_back(topic("existing", 1, 1));
    request.topics.push_back(topic("bad/name", 1, 1));
    request.topics.push_back(topic("three-replicas", 1, 3));
    request.topics.push_back(topic("zero-partitions", 0, 1));
    auto bad_config = topic("bad-config", 1, 1);
    bad_config.configs.push_back({"retention.ms", "soon"});
    request.topics.push_back(bad_config);
    auto unknown_config = topic("unknown-config", 1, 1);
    unknown_config.configs.push_back({"no.such.thing", "1"});
    request.topics.push_back(unknown_config);
    request.topics.push_back(topic("defaults", -1, -1));
    auto response = call<CreateTopicsHandler>(request, 4);

    ASSERT_EQ(response.topics.size(), 8u);
    std::vector<std::pair<std::string, int16_t>> expected = {
        {"fresh", 0},
        {"existing", code(ErrorCode::TopicAlreadyExists)},
        {"bad/name", code(ErrorCode::InvalidTopicException)},
        {"three-replicas", code(ErrorCode::InvalidReplicationFactor)},
        {"zero-partitions", code(ErrorCode::InvalidPartitions)},
        {"bad-config", code(ErrorCode::InvalidConfig)},
        {"unknown-config", code(ErrorCode::InvalidConfig)},
        {"defaults", 0}};
    for (size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(response.topics[i].name, expected[i].first);
        EXPECT_EQ(response.topics[i].error_code, expected[i].second) << expected[i].first;
    }
    auto snapshot = topics_->snapshot();
    EXPECT_EQ(snapshot->find("fresh")->partition_count, 3);
    EXPECT_EQ(snapshot->find("defaults")->partition_count, 2);  // num.partitions
    EXPECT_EQ(snapshot->find("bad-config"), nullptr);
}

TEST_F(TopicHandlersTest, CreateTopicsValidateOnlyCreatesNothing) {
    CreateTopicsHandler::Request request;
    request.validate_only = true;
    request.topics.push_back(topic("dry-run", 1, 1));
    auto response = call<CreateTopicsHandler>(request, 4);
    EXPECT_EQ(response.topics.at(0).error_code, 0);
    EXPECT_EQ(topics_->snapshot()->find("dry-run"), nullptr);
}

TEST_F(TopicHandlersTest, CreateTopicsV5ReturnsPartitionsAndResolvedConfigs) {
    CreateTopicsHandler::Request request;
    auto t = topic("described", 4, 1);
    t.configs.push_back({"cleanup.policy", "compact"});
    request.topics.push_back(t);
    auto response = call<CreateTopicsHandler>(request, 7);
    const auto& r = response.topics.at(0);
    EXPECT_EQ(r.error_code, 0);
    EXPECT_EQ(r.num_partitions, 4);
    EXPECT_EQ(r.replication_factor, 1);
    EXPECT_EQ(r.topic_id, topics_->snapshot()->find("described")->id);
    ASSERT_TRUE(r.configs.has_value());
    bool saw_policy = false;
    for (const auto& c : *r.configs) {
        if (c.name == "cleanup.policy") {
            saw_policy = true;
            EXPECT_EQ(c.value, "compact");
            EXPECT_EQ(c.config_source, 1);  // DYNAMIC_TOPIC_CONFIG
        }
        if (c.name == "retention.ms") {
            EXPECT_EQ(c.config_source, 4);  // STATIC_BROKER_CONFIG
        }
    }
    EXPECT_TRUE(saw_policy);
}

TEST_F(TopicHandlersTest, DuplicateNamesInOneRequestAreRejected) {
    CreateTopicsHandler::Request request;
    request.topics.push_back(topic("twice", 1, 1));
    request.topics.push_back(topic("twice", 1, 1));
    auto response = call<CreateTopicsHandler>(request, 4);
    EXPECT_EQ(response.topics.at(0).error_code, code(ErrorCode::InvalidRequest));
    EXPECT_EQ(response.topics.at(1).error_code, code(ErrorCode::InvalidRequest));
}

TEST_F(TopicHandlersTest, DeleteTopicsByNameAndById) {
    create("a", 1);
    create("b", 1);
    auto id_b = topics_->snapshot()->find("b")->id;

    DeleteTopicsHandler::Request by_name;
    by_name.topic_names = {"a", "missing"};
    auto r1 = call<DeleteTopicsHandler>(by_name, 4);
    ASSERT_EQ(r1.responses.size(), 2u);
    EXPECT_EQ(r1.responses[0].error_code, 0);
    EXPECT_EQ(r1.responses[1].error_code, code(ErrorCode::UnknownTopicOrPartition));

    DeleteTopicsHandler::Request by_id;
    by_id.topics.push_back({std::nullopt, id_b});
    common::protocol::Uuid unknown{};
    unknown[0] = 9;
    by_id.topics.push_back({std::nullopt, unknown});
    auto r2 = call<DeleteTopicsHandler>(by_id, 6);
    ASSERT_EQ(r2.responses.size(), 2u);
    EXPECT_EQ(r2.responses[0].error_code, 0);
    EXPECT_EQ(r2.responses[0].name, "b");
    EXPECT_EQ(r2.responses[1].error_code, code(ErrorCode::UnknownTopicId));
    auto left = topics_->snapshot();
    ASSERT_EQ(left->topics().size(), 1u);  // only the internal topic remains
    EXPECT_NE(left->find("__consumer_offsets"), nullptr);
}

TEST_F(TopicHandlersTest, CreatePartitionsOnlyIncreases) {
    create("grow", 2);
    CreatePartitionsHandler::Request request;
    request.topics.push_back({"grow", 5, std::nullopt});
    request.topics.push_back({"missing", 5, std::nullopt});
    auto r1 = call<CreatePartitionsHandler>(request, 1);
    EXPECT_EQ(r1.results.at(0).error_code, 0);
    EXPECT_EQ(r1.results.at(1).error_code, code(ErrorCode::UnknownTopicOrPartition));
    EXPECT_EQ(topics_->snapshot()->find("grow")->partition_count, 5);

    CreatePartitionsHandler::Request shrink;
    shrink.topics.push_back({"grow", 3, std::nullopt});
    auto r2 = call<CreatePartitionsHandler>(shrink, 3);
    EXPECT_EQ(r2.results.at(0).error_code, code(ErrorCode::InvalidPartitions));
    EXPECT_EQ(topics_->snapshot()->find("grow")->partition_count, 5);
}

TEST_F(TopicHandlersTest, MetadataAutoCreatesOnlyWhenAllowed) {
    MetadataHandler::Request request;
    request.topics = std::vector<MetadataHandler::Request::MetadataRequestTopic>{};
    request.topics->push_back({{}, std::string("auto")});
    auto created = call<MetadataHandler>(request, 9);
    ASSERT_EQ(created.topics.size(), 1u);
    EXPECT_EQ(created.topics[0].error_code, 0);
    EXPECT_EQ(created.topics[0].partitions.size(), 2u);
    EXPECT_EQ(created.topics[0].partitions[1].leader_id, 1);
    ASSERT_EQ(created.brokers.size(), 1u);
    EXPECT_EQ(created.brokers[0].port, 9092);
    EXPECT_EQ(created.controller_id, 1);

    request.allow_auto_topic_creation = false;
    request.topics->at(0).name = "not-created";
    auto refused = call<MetadataHandler>(request, 9);
    EXPECT_EQ(refused.topics.at(0).error_code, code(ErrorCode::UnknownTopicOrPartition));
    EXPECT_EQ(topics_->snapshot()->find("not-created"), nullptr);
}

TEST_F(TopicHandlersTest, MetadataListsAllTopicsForNullOrV0EmptyList) {
    create("x", 1);
    create("y", 3);
    MetadataHandler::Request all;
    all.topics = std::nullopt;
    // x, y and the internal __consumer_offsets the controller creates at start.
    EXPECT_EQ(call<MetadataHandler>(all, 12).topics.size(), 3u);
    MetadataHandler::Request v0;
    EXPECT_EQ(call<MetadataHandler>(v0, 0).topics.size(), 3u);
    MetadataHandler::Request none;  // empty list in v1+: no topics
    EXPECT_EQ(call<MetadataHandler>(none, 1).topics.size(), 0u);
}

TEST_F(TopicHandlersTest, MetadataFindsTopicsByIdInV12) {
    create("by-id", 1);
    MetadataHandler::Request request;
    request.topics = std::vector<MetadataHandler::Request::MetadataRequestTopic>{};
    request.topics->push_back({topics_->snapshot()->find("by-id")->id, std::nullopt});
    auto response = call<MetadataHandler>(request, 12);
    ASSERT_EQ(response.topics.size(), 1u);
    EXPECT_EQ(response.topics[0].name, "by-id");
}

TEST_F(TopicHandlersTest, MetadataRejectsIllegalNamesWithoutCreating) {
    MetadataHandler::Request request;
    request.topics = std::vector<MetadataHandler::Request::MetadataRequestTopic>{};
    request.topics->push_back({{}, std::string("no spaces")});
    auto response = call<MetadataHandler>(request, 4);
    EXPECT_EQ(response.topics.at(0).error_code, code(ErrorCode::InvalidTopicException));
}

TEST_F(TopicHandlersTest, OffsetsTopicIsCreatedAtStartCompactedAndReportedInternal) {
    auto snapshot = topics_->snapshot();
    const auto* offsets = snapshot->find("__consumer_offsets");
    ASSERT_NE(offsets, nullptr);
    EXPECT_EQ(offsets->partition_count, config_.offsets_topic_num_partitions);
    EXPECT_EQ(offsets->configs.at("cleanup.policy"), "compact");
    EXPECT_EQ(offsets->configs.at("segment.bytes"), "104857600");
    create("plain", 1);
    MetadataHandler::Request all;
    all.topics = std::nullopt;
    for (const auto& t : call<MetadataHandler>(all, 9).topics) {
        EXPECT_EQ(t.is_internal, t.name == "__consumer_offsets") << *t.name;
    }
}

TEST_F(TopicHandlersTest, DeletingTheOffsetsTopicIsRefused) {
    DeleteTopicsHandler::Request request;
    request.topic_names = {"__consumer_offsets"};
    auto response = call<DeleteTopicsHandler>(request, 5);
    ASSERT_EQ(response.responses.size(), 1u);
    EXPECT_EQ(response.responses[0].error_code, code(ErrorCode::TopicAuthorizationFailed));
    EXPECT_NE(topics_->snapshot()->find("__consumer_offsets"), nullptr);
}

TEST_F(TopicHandlersTest, TopicsSurviveAControllerRestart) {
    create("durable", 3);
    cluster::TopicController reopened(config_, *shards_, nullptr);
    ASSERT_TRUE(reopened.start());
    const auto* topic = reopened.snapshot()->find("durable");  // off-shard: the table itself
    ASSERT_NE(topic, nullptr);
    EXPECT_EQ(topic->partition_count, 3);
    EXPECT_EQ(topic->id, topics_->snapshot()->find("durable")->id);
}

}  // namespace
}  // namespace broker::server::handlers
