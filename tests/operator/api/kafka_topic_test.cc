#include "operator/api/v1alpha1/kafka_topic.h"

#include <gtest/gtest.h>

namespace kop::api::v1alpha1 {
namespace {

Json topic_json() {
    return Json::parse(R"({
      "metadata": {"name": "orders", "namespace": "kafka", "generation": 1},
      "spec": {"clusterRef": {"name": "events"}, "partitions": 12, "replicas": 3,
               "config": {"retention.ms": 604800000, "cleanup.policy": "delete"}}
    })");
}

TEST(KafkaTopicTest, TopicNameDefaultsToMetadataName) {
    FieldErrors errors;
    KafkaTopic t = decode_kafka_topic(topic_json(), errors);
    ASSERT_TRUE(errors.empty()) << to_string(errors);
    EXPECT_EQ(t.kafka_name(), "orders");
    EXPECT_EQ(t.spec.deletion_policy, "Delete");
    EXPECT_EQ(t.spec.config.at("retention.ms"), "604800000");
    t.spec.topic_name = "Orders_v2";
    EXPECT_EQ(t.kafka_name(), "Orders_v2");
    EXPECT_TRUE(validate(t).empty()) << to_string(validate(t));
}

TEST(KafkaTopicTest, RoundTripsThroughJson) {
    FieldErrors errors;
    KafkaTopic t = decode_kafka_topic(topic_json(), errors);
    t.status.topic_id = "AAAAAAAAAAAAAAAAAAAAAA";
    t.status.partitions = 12;
    KafkaTopic again = decode_kafka_topic(to_json(t), errors);
    ASSERT_TRUE(errors.empty()) << to_string(errors);
    EXPECT_EQ(to_json(again), to_json(t));
}

TEST(KafkaTopicTest, ValidateRefusesBadNamesCountsAndPolicies) {
    FieldErrors errors;
    KafkaTopic t = decode_kafka_topic(topic_json(), errors);
    t.spec.topic_name = "..";
    t.spec.partitions = 0;
    t.spec.replicas = -1;
    t.spec.deletion_policy = "Orphan";
    t.spec.cluster_ref.name = "";
    FieldErrors problems = validate(t);
    EXPECT_EQ(problems.size(), 5u) << to_string(problems);
}

TEST(KafkaTopicTest, KafkaTopicNameRule) {
    EXPECT_TRUE(is_kafka_topic_name("a.b_c-D9"));
    EXPECT_FALSE(is_kafka_topic_name("."));
    EXPECT_FALSE(is_kafka_topic_name("has space"));
    EXPECT_FALSE(is_kafka_topic_name(std::string(250, 'a')));
    EXPECT_TRUE(is_kafka_topic_name(std::string(249, 'a')));
}

}  // namespace
}  // namespace kop::api::v1alpha1
