#include "operator/api/v1alpha1/kafka_cluster.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace kop::api::v1alpha1 {
namespace {

Json valid_cluster() {
    return Json::parse(R"({
      "apiVersion": "tributary.io/v1alpha1", "kind": "KafkaCluster",
      "metadata": {"name": "events", "namespace": "kafka", "generation": 3, "uid": "u-1"},
      "spec": {
        "replicas": 3, "image": "tributary/broker:0.1.0",
        "storage": {"type": "persistent-claim", "size": "100Gi", "class": "fast", "deleteClaim": true},
        "rack": {"topologyKey": "topology.kubernetes.io/zone"},
        "listeners": [
          {"name": "plain", "port": 9092, "type": "internal"},
          {"name": "external", "port": 9094, "type": "nodeport", "tls": true,
           "authentication": {"type": "scram-sha-512"}}
        ],
        "authorization": {"type": "simple", "superUsers": ["admin"]},
        "config": {"num.partitions": 6, "auto.create.topics.enable": false},
        "template": {"pod": {"labels": {"team": "data"}, "priorityClassName": "high"}},
        "metrics": {"enabled": true}
      },
      "status": {"observedGeneration": 2, "readyBrokers": 2, "clusterId": "abc",
                 "brokers": [{"id": 0, "pod": "events-broker-0", "rack": "a", "ready": true}]}
    })");
}

bool has_error(const FieldErrors& errors, const std::string& path) {
    return std::any_of(errors.begin(), errors.end(),
                       [&](const FieldError& e) { return e.path == path; });
}

TEST(KafkaClusterTest, DecodesEveryFieldOfAValidCluster) {
    FieldErrors errors;
    KafkaCluster c = decode_kafka_cluster(valid_cluster(), errors);
    ASSERT_TRUE(errors.empty()) << to_string(errors);
    EXPECT_EQ(c.metadata.name, "events");
    EXPECT_EQ(c.metadata.generation, 3);
    EXPECT_EQ(c.spec.replicas, 3);
    EXPECT_EQ(c.spec.storage.storage_class, "fast");
    EXPECT_TRUE(c.spec.storage.delete_claim);
    ASSERT_TRUE(c.spec.rack.has_value());
    EXPECT_EQ(c.spec.rack->topology_key, "topology.kubernetes.io/zone");
    ASSERT_EQ(c.spec.listeners.size(), 2u);
    EXPECT_EQ(c.spec.listeners[1].authentication, "scram-sha-512");
    EXPECT_TRUE(c.spec.listeners[1].tls);
    EXPECT_EQ(c.spec.config.at("num.partitions"), "6");
    EXPECT_EQ(c.spec.config.at("auto.create.topics.enable"), "false");
    EXPECT_EQ(c.spec.pod_template.labels.at("team"), "data");
    EXPECT_TRUE(c.spec.metrics.enabled);
    EXPECT_EQ(c.status.brokers.at(0).pod, "events-broker-0");
    EXPECT_TRUE(validate(c).empty()) << to_string(validate(c));
}

TEST(KafkaClusterTest, ToJsonThenDecodeGivesTheSameCluster) {
    FieldErrors errors;
    KafkaCluster c = decode_kafka_cluster(valid_cluster(), errors);
    KafkaCluster again = decode_kafka_cluster(to_json(c), errors);
    ASSERT_TRUE(errors.empty()) << to_string(errors);
    EXPECT_EQ(to_json(again), to_json(c));
    EXPECT_EQ(again.status, c.status);
}

TEST(KafkaClusterTest, WrongTypesAreReportedWithTheirPathsAndDoNotThrow) {
    Json j = valid_cluster();
    j["spec"]["replicas"] = "three";
    j["spec"]["listeners"][1]["port"] = 1.5;
    j["spec"]["config"]["x"] = Json::array();
    j["spec"]["storage"] = 7;
    FieldErrors errors;
    decode_kafka_cluster(j, errors);
    EXPECT_TRUE(has_error(errors, "spec.replicas")) << to_string(errors);
    EXPECT_TRUE(has_error(errors, "spec.listeners[1].port")) << to_string(errors);
    EXPECT_TRUE(has_error(errors, "spec.config.x")) << to_string(errors);
    EXPECT_TRUE(has_error(errors, "spec.storage")) << to_string(errors);
}

TEST(KafkaClusterTest, ANonObjectDocumentIsOneError) {
    FieldErrors errors;
    decode_kafka_cluster(Json::array(), errors);
    EXPECT_EQ(errors.size(), 1u);
}

TEST(KafkaClusterTest, ValidateReportsEveryProblemAtOnce) {
    FieldErrors errors;
    KafkaCluster c = decode_kafka_cluster(valid_cluster(), errors);
    c.spec.replicas = 0;
    c.spec.storage.size.clear();
    c.spec.listeners[0].port = 9090;
    c.spec.listeners[1].name = "plain";
    c.spec.listeners.push_back({"tlsauth", 9200, "internal", false, "tls"});
    c.spec.config["node.id"] = "4";
    c.spec.config["listener.name.plain.sasl.enabled.mechanisms"] = "PLAIN";
    c.spec.rack->topology_key.clear();
    FieldErrors problems = validate(c);
    EXPECT_TRUE(has_error(problems, "spec.replicas"));
    EXPECT_TRUE(has_error(problems, "spec.storage.size"));
    EXPECT_TRUE(has_error(problems, "spec.listeners[0].port"));
    EXPECT_TRUE(has_error(problems, "spec.listeners[1].name"));
    EXPECT_TRUE(has_error(problems, "spec.listeners[2].authentication.type"));
    EXPECT_TRUE(has_error(problems, "spec.config.node.id"));
    EXPECT_TRUE(has_error(problems, "spec.config.listener.name.plain.sasl.enabled.mechanisms"));
    EXPECT_TRUE(has_error(problems, "spec.rack.topologyKey"));
    EXPECT_EQ(problems.size(), 8u) << to_string(problems);
}

TEST(KafkaClusterTest, AuthorizationWithoutAnyAuthenticatedListenerIsRefused) {
    FieldErrors errors;
    KafkaCluster c = decode_kafka_cluster(valid_cluster(), errors);
    c.spec.listeners[1].authentication.clear();
    EXPECT_TRUE(has_error(validate(c), "spec.authorization"));
}

TEST(KafkaClusterTest, EphemeralStorageNeedsNoSize) {
    FieldErrors errors;
    KafkaCluster c = decode_kafka_cluster(valid_cluster(), errors);
    c.spec.storage = Storage{kStorageEphemeral, "", "", false};
    EXPECT_TRUE(validate(c).empty()) << to_string(validate(c));
    c.spec.storage.size = "ten gigs";
    EXPECT_TRUE(has_error(validate(c), "spec.storage.size"));
}

TEST(KafkaClusterTest, OperatorOwnedPropertiesAreRecognised) {
    EXPECT_TRUE(is_operator_owned_property("advertised.listeners"));
    EXPECT_TRUE(is_operator_owned_property("controller.quorum.voters"));
    EXPECT_TRUE(is_operator_owned_property("cluster.id"));
    EXPECT_TRUE(is_operator_owned_property("ssl.keystore.location"));
    EXPECT_FALSE(is_operator_owned_property("log.retention.ms"));
    EXPECT_FALSE(is_operator_owned_property("min.insync.replicas"));
}

}  // namespace
}  // namespace kop::api::v1alpha1
