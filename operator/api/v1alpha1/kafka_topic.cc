#include "operator/api/v1alpha1/kafka_topic.h"

#include <regex>

namespace kop::api::v1alpha1 {
namespace {

constexpr int32_t kMaxPartitions = 100000;
constexpr int32_t kMaxReplicas = 32767;

void decode_spec(FieldReader& r, const Json& spec, KafkaTopicSpec& out) {
    decode(r, spec, "spec", out.cluster_ref);
    r.string(spec, "topicName", "spec", out.topic_name);
    r.int32(spec, "partitions", "spec", out.partitions);
    r.int32(spec, "replicas", "spec", out.replicas);
    r.scalar_map(spec, "config", "spec", out.config);
    r.string(spec, "deletionPolicy", "spec", out.deletion_policy);
}

void decode_status(FieldReader& r, const Json& status, KafkaTopicStatus& out) {
    decode(r, status, "status", out.conditions);
    r.int64(status, "observedGeneration", "status", out.observed_generation);
    r.string(status, "topicId", "status", out.topic_id);
    r.int32(status, "partitions", "status", out.partitions);
    r.int32(status, "replicas", "status", out.replicas);
}

}  // namespace

bool is_kafka_topic_name(const std::string& s) {
    static const std::regex kName("[a-zA-Z0-9._-]+");
    return !s.empty() && s.size() <= 249 && s != "." && s != ".." && std::regex_match(s, kName);
}

KafkaTopic decode_kafka_topic(const Json& j, FieldErrors& errors) {
    FieldReader r(errors);
    KafkaTopic out;
    if (!j.is_object()) {
        r.error("", "must be a JSON object");
        return out;
    }
    if (const Json* meta = r.object(j, "metadata", "")) decode(r, *meta, "metadata", out.metadata);
    if (const Json* spec = r.object(j, "spec", "")) decode_spec(r, *spec, out.spec);
    if (const Json* status = r.object(j, "status", "")) decode_status(r, *status, out.status);
    return out;
}

Json to_json(const KafkaTopicSpec& spec) {
    Json j = {{"clusterRef", encode(spec.cluster_ref)},
              {"partitions", spec.partitions},
              {"deletionPolicy", spec.deletion_policy}};
    put_string(j, "topicName", spec.topic_name);
    if (spec.replicas != 0) j["replicas"] = spec.replicas;
    put_map(j, "config", spec.config);
    return j;
}

Json to_json(const KafkaTopicStatus& status) {
    Json j = Json::object();
    if (!status.conditions.empty()) j["conditions"] = encode(status.conditions);
    if (status.observed_generation != 0) j["observedGeneration"] = status.observed_generation;
    put_string(j, "topicId", status.topic_id);
    if (status.partitions != 0) j["partitions"] = status.partitions;
    if (status.replicas != 0) j["replicas"] = status.replicas;
    return j;
}

Json to_json(const KafkaTopic& topic) {
    return Json{{"apiVersion", kApiVersion},
                {"kind", kKafkaTopicKind},
                {"metadata", encode(topic.metadata)},
                {"spec", to_json(topic.spec)},
                {"status", to_json(topic.status)}};
}

FieldErrors validate(const KafkaTopic& topic) {
    FieldErrors errors;
    const KafkaTopicSpec& spec = topic.spec;
    validate(spec.cluster_ref, "spec", errors);
    if (!is_kafka_topic_name(topic.kafka_name())) {
        errors.push_back({spec.topic_name.empty() ? "metadata.name" : "spec.topicName",
                          "must be 1-249 of letters, digits, '.', '_', '-' (not '.' or '..')"});
    }
    if (spec.partitions < 1 || spec.partitions > kMaxPartitions) {
        errors.push_back({"spec.partitions", "must be between 1 and 100000"});
    }
    if (spec.replicas < 0 || spec.replicas > kMaxReplicas) {
        errors.push_back({"spec.replicas", "must be between 1 and 32767 (or unset)"});
    }
    if (spec.deletion_policy != kDeletionPolicyDelete &&
        spec.deletion_policy != kDeletionPolicyRetain) {
        errors.push_back({"spec.deletionPolicy", "must be Delete or Retain"});
    }
    for (const auto& [key, value] : spec.config) {
        if (key.empty() || key.find_first_of(" =:\n") != std::string::npos) {
            errors.push_back({"spec.config." + key, "is not a valid config name"});
        }
    }
    return errors;
}

}  // namespace kop::api::v1alpha1
