#pragma once
// KafkaTopic (tributary.io/v1alpha1): one Kafka topic of a KafkaCluster. Plain values; decode()
// reports type errors, validate() every semantic problem, both with field paths.

#include <cstdint>
#include <string>
#include <vector>

#include "operator/api/v1alpha1/meta.h"

namespace kop::api::v1alpha1 {

inline constexpr const char* kKafkaTopicKind = "KafkaTopic";
inline constexpr const char* kDeletionPolicyDelete = "Delete";
inline constexpr const char* kDeletionPolicyRetain = "Retain";

struct KafkaTopicSpec {
    ClusterRef cluster_ref;
    std::string topic_name;  // empty = metadata.name
    int32_t partitions = 1;
    int32_t replicas = 0;  // 0 = the cluster's default.replication.factor
    StringMap config;      // topic configs (Kafka names)
    std::string deletion_policy = kDeletionPolicyDelete;
};

struct KafkaTopicStatus {
    std::vector<Condition> conditions;
    int64_t observed_generation = 0;
    std::string topic_id;
    int32_t partitions = 0;
    int32_t replicas = 0;
    bool operator==(const KafkaTopicStatus&) const = default;
};

struct KafkaTopic {
    ObjectMeta metadata;
    KafkaTopicSpec spec;
    KafkaTopicStatus status;

    // The Kafka topic name: spec.topicName, else metadata.name.
    const std::string& kafka_name() const {
        return spec.topic_name.empty() ? metadata.name : spec.topic_name;
    }
};

KafkaTopic decode_kafka_topic(const Json& j, FieldErrors& errors);
Json to_json(const KafkaTopic& topic);
Json to_json(const KafkaTopicSpec& spec);
Json to_json(const KafkaTopicStatus& status);

FieldErrors validate(const KafkaTopic& topic);

// Kafka's rule: 1-249 of [a-zA-Z0-9._-], not "." or "..".
bool is_kafka_topic_name(const std::string& s);

}  // namespace kop::api::v1alpha1
