#include "operator/model/broker_config.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "operator/model/cluster_objects.h"
#include "operator/model/pod_disruption_budget.h"
#include "operator/model/services.h"
#include "operator/model/stateful_set.h"

namespace kop::model {
namespace {

using api::v1alpha1::Listener;

KafkaCluster cluster(int replicas) {
    KafkaCluster c;
    c.metadata.name = "events";
    c.metadata.namespace_ = "kafka";
    c.metadata.uid = "uid-1";
    c.spec.replicas = replicas;
    c.spec.storage = {"persistent-claim", "10Gi", "", false};
    c.spec.listeners = {Listener{"plain", 9092, "internal", false, ""}};
    return c;
}

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(BrokerConfigTest, ScalingBeyondThreeKeepsTheVotersAndSoTheConfigHash) {
    Observed o;
    EXPECT_EQ(config_hash(cluster(3), o), config_hash(cluster(5), o));
    EXPECT_EQ(config_hash(cluster(4), o), config_hash(cluster(9), o));
    EXPECT_NE(config_hash(cluster(1), o), config_hash(cluster(3), o));  // new: 1 voter, then 3
    EXPECT_NE(config_hash(cluster(2), o), config_hash(cluster(3), o));
}

TEST(BrokerConfigTest, AnExistingClustersVoterCountIsReadBackAndKept) {
    for (int replicas : {1, 2, 3, 5}) {
        Observed fresh;
        std::string p = render_broker_properties(cluster(replicas), fresh);
        EXPECT_EQ(rendered_voter_count(p), std::min(replicas, 3)) << p;
        Observed existing;
        existing.controller_voters = rendered_voter_count(p);
        EXPECT_EQ(controller_voter_count(cluster(7), existing), std::min(replicas, 3));
        EXPECT_EQ(render_broker_properties(cluster(7), existing).find("PROCESS_ROLES:7"),
                  std::string::npos);
    }
    // Written by an operator that made every broker a voter: five stay five.
    EXPECT_EQ(rendered_voter_count("# x\ncontroller.quorum.voters=0@a:1,1@b:1,2@c:1,3@d:1,4@e:1\n"),
              5);
    EXPECT_EQ(rendered_voter_count("# x\nnode.id=1\n"), 0);
    EXPECT_EQ(rendered_voter_count("# x\ncontroller.quorum.voters=\n"), 0);
    EXPECT_EQ(rendered_voter_count(""), 0);
}

TEST(BrokerConfigTest, AConfigChangeChangesTheHashAndThePodAnnotation) {
    Observed o;
    KafkaCluster a = cluster(3);
    KafkaCluster b = cluster(3);
    b.spec.config["log.retention.ms"] = "1000";
    EXPECT_NE(config_hash(a, o), config_hash(b, o));
    Json pa = render_pod_template(a, o)["metadata"]["annotations"];
    Json pb = render_pod_template(b, o)["metadata"]["annotations"];
    EXPECT_NE(pa[kConfigHashAnnotation], pb[kConfigHashAnnotation]);
}

TEST(BrokerConfigTest, QuorumIsTheFirstThreeBrokersTheOthersAreBrokerOnly) {
    for (int replicas : {3, 5}) {
        std::string p = render_broker_properties(cluster(replicas), Observed{});
        EXPECT_TRUE(has_line(p,
                             "controller.quorum.voters="
                             "0@events-broker-0.events-brokers.kafka.svc:9090,"
                             "1@events-broker-1.events-brokers.kafka.svc:9090,"
                             "2@events-broker-2.events-brokers.kafka.svc:9090"))
            << p;
        EXPECT_TRUE(has_line(p, "process.roles=${PROCESS_ROLES:3}")) << p;
    }
    std::string two = render_broker_properties(cluster(2), Observed{});
    EXPECT_TRUE(has_line(two,
                         "controller.quorum.voters="
                         "0@events-broker-0.events-brokers.kafka.svc:9090,"
                         "1@events-broker-1.events-brokers.kafka.svc:9090"));
    EXPECT_TRUE(has_line(two, "process.roles=${PROCESS_ROLES:2}")) << two;
}

TEST(BrokerConfigTest, ClusterIdIsTheUidsSixteenBytesInUrlSafeBase64) {
    KafkaCluster c = cluster(3);
    c.metadata.uid = "0f8fad5b-d9cb-469f-a165-70867728950e";
    EXPECT_EQ(cluster_id_for(c), "D4-tW9nLRp-hZXCGdyiVDg");
    std::string p = render_broker_properties(c, Observed{});
    EXPECT_TRUE(has_line(p, "cluster.id=D4-tW9nLRp-hZXCGdyiVDg")) << p;
    // Deterministic: the same uid renders the same file; another uid another id.
    EXPECT_EQ(render_broker_properties(c, Observed{}), p);
    KafkaCluster other = cluster(3);
    other.metadata.uid = "11111111-2222-3333-4444-555555555555";
    EXPECT_EQ(cluster_id_for(other), "ERERESIiMzNERFVVVVVVVQ");
    EXPECT_TRUE(
        has_line(render_broker_properties(other, Observed{}), "cluster.id=ERERESIiMzNERFVVVVVVVQ"));
}

TEST(BrokerConfigTest, ClusterIdDependsOnlyOnTheUid) {
    KafkaCluster c = cluster(3);
    c.metadata.uid = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const std::string before = render_broker_properties(c, Observed{});
    c.status.cluster_id = std::string(22, 'A');  // whatever the brokers reported
    EXPECT_EQ(render_broker_properties(c, Observed{}), before);
    // A uid that is not a UUID renders no id (the brokers then agree on one themselves).
    KafkaCluster odd = cluster(3);
    EXPECT_EQ(cluster_id_for(odd), std::nullopt);
    EXPECT_EQ(render_broker_properties(odd, Observed{}).find("cluster.id="), std::string::npos);
}

TEST(BrokerConfigTest, UserConfigIsKeptAndOperatorKeysAreTemplated) {
    KafkaCluster c = cluster(3);
    c.spec.config["min.insync.replicas"] = "3";
    c.spec.rack = api::v1alpha1::Rack{"topology.kubernetes.io/zone"};
    std::string p = render_broker_properties(c, Observed{});
    EXPECT_TRUE(has_line(p, "min.insync.replicas=3"));
    EXPECT_TRUE(has_line(p, "node.id=${ORDINAL}"));
    EXPECT_TRUE(has_line(p, "broker.rack=${NODE_LABEL:topology.kubernetes.io/zone}"));
    EXPECT_TRUE(has_line(p, "default.replication.factor=3"));
}

TEST(BrokerConfigTest, ListenerSecurityProtocolFollowsTlsAndAuthentication) {
    EXPECT_EQ(security_protocol(Listener{"a", 1, "internal", false, ""}), "PLAINTEXT");
    EXPECT_EQ(security_protocol(Listener{"a", 1, "internal", true, ""}), "SSL");
    EXPECT_EQ(security_protocol(Listener{"a", 1, "internal", true, "tls"}), "SSL");
    EXPECT_EQ(security_protocol(Listener{"a", 1, "internal", false, "plain"}), "SASL_PLAINTEXT");
    EXPECT_EQ(security_protocol(Listener{"a", 1, "internal", true, "scram-sha-512"}), "SASL_SSL");
}

TEST(RenderTest, PdbApiVersionFollowsDiscovery) {
    Observed o;
    o.policy_v1 = false;
    EXPECT_EQ(render_pod_disruption_budget(cluster(3), o)["apiVersion"], "policy/v1beta1");
    o.policy_v1 = true;
    EXPECT_EQ(render_pod_disruption_budget(cluster(3), o)["apiVersion"], "policy/v1");
}

TEST(RenderTest, EveryObjectNameFitsAKubernetesName) {
    KafkaCluster c = cluster(1000 - 1);
    c.metadata.name = std::string(30, 'x');
    c.spec.listeners.push_back(Listener{std::string(15, 'e'), 9094, "nodeport", false, ""});
    ClusterObjects objects = render_cluster_objects(c, Observed{});
    for (const auto& o : objects.namespaced) {
        std::string name = o["metadata"]["name"];
        EXPECT_LE(name.size(), 63u) << name;
    }
    EXPECT_EQ(objects.namespaced.size(), 9u + 1 + 999);
}

TEST(RenderTest, RenderingIsDeterministic) {
    KafkaCluster c = cluster(3);
    Json a = render_stateful_set(c, Observed{});
    Json b = render_stateful_set(c, Observed{});
    EXPECT_EQ(a.dump(), b.dump());
}

}  // namespace
}  // namespace kop::model
