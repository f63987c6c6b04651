#include "broker/server/handlers/alter_configs.h"
#include "broker/server/handlers/create_topics.h"
#include "broker/server/handlers/describe_cluster.h"
#include "broker/server/handlers/describe_configs.h"
#include "broker/server/handlers/incremental_alter_configs.h"
#include "common/protocol/error_code.h"
#include "tests/broker/server/handlers/admin_fixture.h"

namespace broker::server::handlers {
namespace {

using common::protocol::ErrorCode;
using testing::AdminFixture;

int16_t code(ErrorCode c) {
    return static_cast<int16_t>(c);
}
constexpr int8_t kTopic = 2;
constexpr int8_t kBroker = 4;

class ConfigHandlersTest : public AdminFixture {
  protected:
    void SetUp() override {
        AdminFixture::SetUp();
        CreateTopicsHandler::Request request;
        CreateTopicsHandler::Request::CreatableTopic t;
        t.name = "t";
        t.num_partitions = 1;
        t.replication_factor = 1;
        t.configs.push_back({"retention.ms", "1000"});
        request.topics.push_back(t);
        ASSERT_EQ(call<CreateTopicsHandler>(request, 4).topics.at(0).error_code, 0);
    }

    const DescribeConfigsHandler::Response::DescribeConfigsResourceResult* describe(
        const std::string& name, DescribeConfigsHandler::Response* keep) {
        DescribeConfigsHandler::Request request;
        request.include_synonyms = true;
        request.resources.push_back({kTopic, "t", std::vector<std::string>{name}});
        *keep = call<DescribeConfigsHandler>(request, 4);
        const auto& configs = keep->results.at(0).configs;
        return configs.empty() ? nullptr : &configs[0];
    }

    cluster::TopicConfigMap overrides() { return topics_->snapshot()->find("t")->configs; }
};

TEST_F(ConfigHandlersTest, DescribeTopicConfigsReportsSourcesAndSynonyms) {
    DescribeConfigsHandler::Response keep;
    const auto* retention = describe("retention.ms", &keep);
    ASSERT_NE(retention, nullptr);
    EXPECT_EQ(retention->value, "1000");
    EXPECT_EQ(retention->config_source, 1);  // DYNAMIC_TOPIC_CONFIG
    ASSERT_EQ(retention->synonyms.size(), 3u);
    EXPECT_EQ(retention->synonyms[0].source, 1);
    EXPECT_EQ(retention->synonyms[1].name, "log.retention.ms");
    EXPECT_EQ(retention->synonyms[1].value, "7200000");  // log.retention.hours=2
    EXPECT_EQ(retention->synonyms[1].source, 4);         // STATIC_BROKER_CONFIG
    EXPECT_EQ(retention->synonyms[2].source, 5);         // DEFAULT_CONFIG
    EXPECT_FALSE(retention->documentation.has_value());

    const auto* segment = describe("segment.bytes", &keep);
    ASSERT_NE(segment, nullptr);
    EXPECT_EQ(segment->config_source, 5);
    EXPECT_EQ(segment->value, "1073741824");
}

TEST_F(ConfigHandlersTest, DescribeConfigsAnswersEachResourceInOrder) {
    DescribeConfigsHandler::Request request;
    request.resources.push_back({kTopic, "missing", std::nullopt});
    request.resources.push_back({kBroker, "1", std::nullopt});
    request.resources.push_back({kTopic, "t", std::nullopt});
    request.resources.push_back({kBroker, "2", std::nullopt});
    auto response = call<DescribeConfigsHandler>(request, 0);
    ASSERT_EQ(response.results.size(), 4u);
    EXPECT_EQ(response.results[0].error_code, code(ErrorCode::UnknownTopicOrPartition));
    EXPECT_EQ(response.results[1].error_code, 0);
    bool saw_dirs = false;
    for (const auto& c : response.results[1].configs) {
        if (c.name == "log.dirs") {
            saw_dirs = true;
            EXPECT_FALSE(c.is_default);
        }
        if (c.name == "message.max.bytes") {
            EXPECT_TRUE(c.is_default);
        }
    }
    EXPECT_TRUE(saw_dirs);
    EXPECT_EQ(response.results[2].error_code, 0);
    EXPECT_GT(response.results[2].configs.size(), 10u);
    EXPECT_EQ(response.results[3].error_code, code(ErrorCode::InvalidRequest));
}

TEST_F(ConfigHandlersTest, IncrementalAlterAppliesSetDeleteAppendSubtract) {
    IncrementalAlterConfigsHandler::Request request;
    IncrementalAlterConfigsHandler::Request::AlterConfigsResource r{kTopic, "t", {}};
    r.configs.push_back({"segment.bytes", 0, std::string("1048576")});   // SET
    r.configs.push_back({"retention.ms", 1, std::nullopt});              // DELETE
    r.configs.push_back({"cleanup.policy", 2, std::string("compact")});  // APPEND
    request.resources.push_back(r);
    auto response = call<IncrementalAlterConfigsHandler>(request, 1);
    ASSERT_EQ(response.responses.at(0).error_code, 0);
    auto configs = overrides();
    EXPECT_EQ(configs.at("segment.bytes"), "1048576");
    EXPECT_EQ(configs.count("retention.ms"), 0u);
    EXPECT_EQ(configs.at("cleanup.policy"), "delete,compact");

    IncrementalAlterConfigsHandler::Request subtract;
    subtract.resources.push_back({kTopic, "t", {{"cleanup.policy", 3, std::string("delete")}}});
    ASSERT_EQ(call<IncrementalAlterConfigsHandler>(subtract, 0).responses.at(0).error_code, 0);
    EXPECT_EQ(overrides().at("cleanup.policy"), "compact");
}

TEST_F(ConfigHandlersTest, IncrementalAlterRejectsBadChangesPerResource) {
    IncrementalAlterConfigsHandler::Request request;
    request.resources.push_back({kTopic, "t", {{"retention.ms", 2, std::string("5")}}});
    request.resources.push_back({kTopic, "missing", {{"retention.ms", 0, std::string("5")}}});
    request.resources.push_back({kTopic, "t", {{"retention.ms", 0, std::string("x")}}});
    request.resources.push_back({kTopic, "t", {{"retention.ms", 9, std::string("5")}}});
    request.resources.push_back({kBroker, "1", {{"log.retention.ms", 0, std::string("5")}}});
    auto response = call<IncrementalAlterConfigsHandler>(request, 1);
    ASSERT_EQ(response.responses.size(), 5u);
    EXPECT_EQ(response.responses[0].error_code, code(ErrorCode::InvalidConfig));
    EXPECT_EQ(response.responses[1].error_code, code(ErrorCode::UnknownTopicOrPartition));
    EXPECT_EQ(response.responses[2].error_code, code(ErrorCode::InvalidConfig));
    EXPECT_EQ(response.responses[3].error_code, code(ErrorCode::InvalidRequest));
    EXPECT_EQ(response.responses[4].error_code, code(ErrorCode::InvalidRequest));
    EXPECT_EQ(overrides().at("retention.ms"), "1000");
}

TEST_F(ConfigHandlersTest, AlterConfigsReplacesAllOverrides) {
    AlterConfigsHandler::Request request;
    request.resources.push_back({kTopic, "t", {{"max.message.bytes", std::string("2048")}}});
    auto response = call<AlterConfigsHandler>(request, 0);
    ASSERT_EQ(response.responses.at(0).error_code, 0);
    auto configs = overrides();
    EXPECT_EQ(configs.size(), 1u);
    EXPECT_EQ(configs.at("max.message.bytes"), "2048");

    AlterConfigsHandler::Request validate_only;
    validate_only.validate_only = true;
    validate_only.resources.push_back({kTopic, "t", {}});
    ASSERT_EQ(call<AlterConfigsHandler>(validate_only, 1).responses.at(0).error_code, 0);
    EXPECT_EQ(overrides().size(), 1u);
}

TEST_F(ConfigHandlersTest, DescribeClusterNamesThisBrokerAsController) {
    auto response = call<DescribeClusterHandler>({}, 1);
    EXPECT_EQ(response.error_code, 0);
    EXPECT_EQ(response.controller_id, 1);
    ASSERT_EQ(response.brokers.size(), 1u);
    EXPECT_EQ(response.brokers[0].host, "127.0.0.1");
    DescribeClusterHandler::Request controllers;
    controllers.endpoint_type = 2;
    EXPECT_EQ(call<DescribeClusterHandler>(controllers, 1).error_code,
              code(ErrorCode::UnsupportedEndpointType));
}

}  // namespace
}  // namespace broker::server::handlers
