#include "broker/config/cluster_settings.h"

#include <gtest/gtest.h>

#include "broker/config/broker_config.h"

namespace broker::config {
namespace {

common::Result<BrokerConfig> from(const Properties& props, std::string* error = nullptr) {
    std::string ignored;
    return build_config(props, error ? error : &ignored);
}

// The shape tributary-operator renders for a rack-aware cluster (placeholders filled in).
Properties operator_rendered() {
    return {
        {"node.id", "1"},
        {"listeners",
         "CONTROLLER://127.0.0.1:9090,REPLICATION://127.0.0.1:9091,PLAIN://127.0.0.1:9092,"
         "TLS://127.0.0.1:9093,EXTERNAL://127.0.0.1:9094,LB://127.0.0.1:9095"},
        {"advertised.listeners",
         "REPLICATION://b1.svc:9091,PLAIN://b1.svc:9092,TLS://b1.svc:9093,"
         "EXTERNAL://node.example:30001,LB://lb.example:9095"},
        {"listener.security.protocol.map",
         "CONTROLLER:PLAINTEXT,REPLICATION:PLAINTEXT,PLAIN:PLAINTEXT,TLS:SSL,EXTERNAL:SASL_SSL,"
         "LB:SASL_PLAINTEXT"},
        {"controller.listener.names", "CONTROLLER"},
        {"inter.broker.listener.name", "REPLICATION"},
        {"controller.quorum.voters", "0@b0.svc:9090,1@b1.svc:9090,2@b2.svc:9090"},
        {"broker.rack", "zone-a"},
    };
}

TEST(ClusterSettingsTest, ParsesVotersInKafkaFormat) {
    std::string error;
    auto voters = parse_quorum_voters("1@host-a:9090, 2@[::1]:9091", &error);
    ASSERT_TRUE(voters) << error;
    ASSERT_EQ(voters.value().size(), 2u);
    EXPECT_EQ(voters.value()[0], (QuorumVoter{1, "host-a", 9090}));
    EXPECT_EQ(voters.value()[1], (QuorumVoter{2, "::1", 9091}));
    EXPECT_TRUE(parse_quorum_voters("", &error).value().empty());
}

TEST(ClusterSettingsTest, BadVotersGetClearErrors) {
    struct Case {
        const char* text;
        const char* says;
    };
    for (const auto& c : {Case{"host:9090", "missing '@'"}, Case{"x@host:9090", "non-negative"},
                          Case{"-1@host:9090", "non-negative"}, Case{"1@host", "missing ':PORT'"},
                          Case{"1@:9090", "missing host"}, Case{"1@h:0", "[1, 65535]"},
                          Case{"1@h:70000", "[1, 65535]"}, Case{"1@a:1,1@b:2", "appears twice"}}) {
        std::string error;
        EXPECT_FALSE(parse_quorum_voters(c.text, &error)) << c.text;
        EXPECT_NE(error.find(c.says), std::string::npos) << c.text << " -> " << error;
    }
}

TEST(ClusterSettingsTest, ProtocolMapAcceptsKafkaProtocolsOnly) {
    std::string error;
    auto map = parse_protocol_map("plain:PLAINTEXT, TLS:SSL", &error);
    ASSERT_TRUE(map) << error;
    EXPECT_EQ(map.value().at("PLAIN"), "PLAINTEXT");
    EXPECT_EQ(map.value().at("TLS"), "SSL");
    EXPECT_FALSE(parse_protocol_map("TLS:HTTPS", &error));
    EXPECT_NE(error.find("TLS:HTTPS"), std::string::npos);
    EXPECT_FALSE(parse_protocol_map("TLS", &error));
    EXPECT_FALSE(parse_protocol_map("A:SSL,A:PLAINTEXT", &error));
}

TEST(ClusterSettingsTest, OperatorRenderedConfigIsAccepted) {
    std::string error;
    auto config = from(operator_rendered(), &error);
    ASSERT_TRUE(config) << error;
    const BrokerConfig& c = config.value();
    EXPECT_TRUE(c.broker_role);
    EXPECT_TRUE(c.controller_role);  // node 1 is a voter
    EXPECT_EQ(c.controller_quorum_voters.size(), 3u);
    EXPECT_EQ(c.broker_rack, "zone-a");
    EXPECT_EQ(c.inter_broker_listener_name, "REPLICATION");
    EXPECT_TRUE(c.is_controller_listener("CONTROLLER"));
    EXPECT_EQ(c.security_protocol("TLS"), "SSL");
    auto served = c.kafka_listeners();
    ASSERT_EQ(served.size(), 2u);
    EXPECT_EQ(served[0].name, "REPLICATION");
    EXPECT_EQ(served[1].name, "PLAIN");
    ASSERT_NE(c.advertised_for("PLAIN"), nullptr);
    EXPECT_EQ(c.advertised_for("PLAIN")->host, "b1.svc");
    EXPECT_EQ(c.advertised_for("CONTROLLER")->host, "127.0.0.1");
    EXPECT_EQ(c.advertised_for("NOPE"), nullptr);
}

TEST(ClusterSettingsTest, DefaultsMakeASingleNodeItsOwnController) {
    auto config = from({});
    ASSERT_TRUE(config);
    EXPECT_TRUE(config.value().broker_role);
    EXPECT_TRUE(config.value().controller_role);
    EXPECT_FALSE(config.value().broker_rack);
    EXPECT_EQ(config.value().inter_broker_listener_name, "PLAINTEXT");
    EXPECT_EQ(config.value().kafka_listeners().size(), 1u);
}

TEST(ClusterSettingsTest, ClusteredNodeOutsideTheVotersIsABrokerOnlyNode) {
    auto props = operator_rendered();
    props["node.id"] = "7";
    std::string error;
    auto derived = from(props, &error);
    ASSERT_TRUE(derived) << error;
    EXPECT_TRUE(derived.value().broker_role);
    EXPECT_FALSE(derived.value().controller_role);
    props["process.roles"] = "broker";
    auto explicit_roles = from(props, &error);
    ASSERT_TRUE(explicit_roles) << error;
    EXPECT_FALSE(explicit_roles.value().controller_role);
}

TEST(ClusterSettingsTest, ControllerOutsideTheVotersIsRefused) {
    auto props = operator_rendered();
    props["node.id"] = "7";
    props["process.roles"] = "broker,controller";
    std::string error;
    EXPECT_FALSE(from(props, &error));
    EXPECT_NE(error.find("node.id 7 is a controller but is not in controller.quorum.voters"),
              std::string::npos)
        << error;
    EXPECT_NE(error.find("process.roles=broker"), std::string::npos) << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;  // one line
}

TEST(ClusterSettingsTest, ClusteredVoterMustBeBrokerAndController) {
    auto props = operator_rendered();
    std::string error;
    props["process.roles"] = "broker";
    EXPECT_FALSE(from(props, &error));
    EXPECT_NE(error.find("node.id 1 is in controller.quorum.voters, so it must be a controller"),
              std::string::npos)
        << error;
    props["process.roles"] = "controller";
    EXPECT_FALSE(from(props, &error));
    EXPECT_NE(error.find("controller-only nodes are not supported"), std::string::npos) << error;
    props["node.id"] = "7";  // a controller-only node outside the voters: the same refusal
    EXPECT_FALSE(from(props, &error));
    EXPECT_NE(error.find("controller-only nodes are not supported"), std::string::npos) << error;
}

TEST(ClusterSettingsTest, BrokerOnlyNodeNeedsTheControllerListenerForRaft) {
    auto props = operator_rendered();
    props["node.id"] = "7";
    props["process.roles"] = "broker";
    props["listeners"] = "REPLICATION://127.0.0.1:9091,PLAIN://127.0.0.1:9092";
    props["listener.security.protocol.map"] =
        "CONTROLLER:PLAINTEXT,REPLICATION:PLAINTEXT,PLAIN:PLAINTEXT";
    props["advertised.listeners"] = "REPLICATION://b7.svc:9091,PLAIN://b7.svc:9092";
    std::string error;
    EXPECT_FALSE(from(props, &error));
    EXPECT_NE(error.find("CONTROLLER must appear in listeners: in clustered mode it is every "
                         "node's Raft listener"),
              std::string::npos)
        << error;
}

TEST(ClusterSettingsTest, BrokerHeartbeatSettingsHaveKafkaDefaults) {
    auto config = from({});
    ASSERT_TRUE(config);
    EXPECT_EQ(config.value().broker_heartbeat_interval_ms, 2000);
    EXPECT_EQ(config.value().broker_session_timeout_ms, 9000);
    auto set =
        from({{"broker.heartbeat.interval.ms", "250"}, {"broker.session.timeout.ms", "1500"}});
    ASSERT_TRUE(set);
    EXPECT_EQ(set.value().broker_heartbeat_interval_ms, 250);
    EXPECT_EQ(set.value().broker_session_timeout_ms, 1500);
    std::string error;
    EXPECT_FALSE(from({{"broker.session.timeout.ms", "0"}}, &error));
    EXPECT_NE(error.find("broker.session.timeout.ms"), std::string::npos);
}

TEST(ClusterSettingsTest, ProcessRolesAreValidated) {
    std::string error;
    EXPECT_FALSE(from({{"process.roles", "broker,zookeeper"}}, &error));
    EXPECT_NE(error.find("process.roles"), std::string::npos);
    EXPECT_FALSE(from({{"process.roles", "broker"}}, &error));
    EXPECT_NE(error.find("controller.quorum.voters: required"), std::string::npos);
    auto controller_only = from({{"process.roles", "controller"}});
    ASSERT_TRUE(controller_only);
    EXPECT_FALSE(controller_only.value().broker_role);
}

TEST(ClusterSettingsTest, ListenerWithoutProtocolIsRefused) {
    auto props = operator_rendered();
    props["listener.security.protocol.map"] = "CONTROLLER:PLAINTEXT,REPLICATION:PLAINTEXT";
    std::string error;
    EXPECT_FALSE(from(props, &error));
    EXPECT_NE(error.find("no security protocol for listener PLAIN"), std::string::npos) << error;
}

TEST(ClusterSettingsTest, InterBrokerListenerMustBeAClientListener) {
    auto props = operator_rendered();
    std::string error;
    props["inter.broker.listener.name"] = "CONTROLLER";
    EXPECT_FALSE(from(props, &error));
    EXPECT_NE(error.find("inter.broker.listener.name"), std::string::npos);
    props["inter.broker.listener.name"] = "MISSING";
    EXPECT_FALSE(from(props, &error));
}

TEST(ClusterSettingsTest, ControllerListenerIsNeverAdvertised) {
    auto props = operator_rendered();
    props["advertised.listeners"] = "CONTROLLER://b1.svc:9090,PLAIN://b1.svc:9092";
    std::string error;
    EXPECT_FALSE(from(props, &error));
    EXPECT_NE(error.find("must not contain the controller listener"), std::string::npos);
}

TEST(ClusterSettingsTest, VotersNeedAControllerListenerName) {
    auto props = operator_rendered();
    props.erase("controller.listener.names");
    std::string error;
    EXPECT_FALSE(from(props, &error));
    EXPECT_NE(error.find("controller.listener.names: required"), std::string::npos);
}

TEST(ClusterSettingsTest, UnmappedControllerListenerDefaultsToPlaintext) {
    auto config = from({{"listeners", "CONTROLLER://127.0.0.1:9090,PLAINTEXT://127.0.0.1:9092"},
                        {"controller.listener.names", "CONTROLLER"},
                        {"controller.quorum.voters", "1@127.0.0.1:9090"}});
    ASSERT_TRUE(config);
    EXPECT_EQ(config.value().security_protocol("CONTROLLER"), "PLAINTEXT");
    EXPECT_EQ(config.value().kafka_listeners().size(), 1u);
}

}  // namespace
}  // namespace broker::config
