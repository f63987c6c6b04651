#include "operator/model/property_template.h"

#include <gtest/gtest.h>

#include "operator/model/broker_config.h"

namespace kop::model {
namespace {

BrokerFacts facts() {
    BrokerFacts f;
    f.pod_name = "events-broker-2";
    f.pod_namespace = "kafka";
    f.pod_ip = "10.0.0.7";
    f.node_name = "node-b";
    f.node_address = "203.0.113.5";
    f.node_labels = {{"topology.kubernetes.io/zone", "zone-b"}};
    f.node_ports = {{"external", 31094}};
    f.lb_addresses = {{"lb", "lb.example.com"}};
    return f;
}

TEST(PropertyTemplateTest, ExpandsEveryPlaceholderOfARenderedConfig) {
    KafkaCluster c;
    c.metadata.name = "events";
    c.metadata.namespace_ = "kafka";
    c.spec.replicas = 3;
    c.spec.rack = api::v1alpha1::Rack{"topology.kubernetes.io/zone"};
    c.spec.listeners = {{"plain", 9092, "internal", false, ""},
                        {"external", 9094, "nodeport", false, ""},
                        {"lb", 9095, "loadbalancer", false, ""}};
    std::string error;
    auto out = expand_properties(render_broker_properties(c, Observed{}), facts(), &error);
    ASSERT_TRUE(out) << error;
    const std::string& p = out.value();
    EXPECT_NE(p.find("\nnode.id=2\n"), std::string::npos) << p;
    EXPECT_NE(p.find("\nbroker.rack=zone-b\n"), std::string::npos) << p;
    EXPECT_NE(p.find("PLAIN://events-broker-2.events-brokers.kafka.svc:9092"), std::string::npos);
    EXPECT_NE(p.find("EXTERNAL://203.0.113.5:31094"), std::string::npos) << p;
    EXPECT_NE(p.find("LB://lb.example.com:9095"), std::string::npos) << p;
    EXPECT_NE(p.find("PLAIN://10.0.0.7:9092"), std::string::npos) << p;
    EXPECT_EQ(p.find("${"), std::string::npos) << p;
}

TEST(PropertyTemplateTest, TheFirstVoterCountPodsAreControllersTheOthersBrokerOnly) {
    KafkaCluster c;
    c.metadata.name = "events";
    c.metadata.namespace_ = "kafka";
    c.spec.replicas = 5;
    c.spec.listeners = {{"plain", 9092, "internal", false, ""}};
    const std::string rendered = render_broker_properties(c, Observed{});
    for (int ordinal = 0; ordinal < 5; ++ordinal) {
        BrokerFacts f = facts();
        f.pod_name = "events-broker-" + std::to_string(ordinal);
        std::string error;
        auto out = expand_properties(rendered, f, &error);
        ASSERT_TRUE(out) << error;
        const char* roles =
            ordinal < 3 ? "\nprocess.roles=broker,controller\n" : "\nprocess.roles=broker\n";
        EXPECT_NE(out.value().find(roles), std::string::npos) << ordinal << out.value();
    }
    std::string error;
    EXPECT_FALSE(expand_properties("process.roles=${PROCESS_ROLES:x}\n", facts(), &error));
    EXPECT_EQ(error, "no value for ${PROCESS_ROLES:x}");
}

TEST(PropertyTemplateTest, AMissingFactFailsAndNamesIt) {
    BrokerFacts f = facts();
    f.node_labels.clear();
    std::string error;
    auto out =
        expand_properties("broker.rack=${NODE_LABEL:topology.kubernetes.io/zone}\n", f, &error);
    EXPECT_FALSE(out);
    EXPECT_EQ(error, "no value for ${NODE_LABEL:topology.kubernetes.io/zone}");
}

TEST(PropertyTemplateTest, AnUnknownPlaceholderFails) {
    std::string error;
    EXPECT_FALSE(expand_properties("a=${WHAT}\n", facts(), &error));
    EXPECT_EQ(error, "no value for ${WHAT}");
}

TEST(PropertyTemplateTest, TextWithoutPlaceholdersIsUnchanged) {
    std::string error;
    auto out = expand_properties("a=1\nb=$ {x}\nc=${unclosed\n", facts(), &error);
    ASSERT_TRUE(out);
    EXPECT_EQ(out.value(), "a=1\nb=$ {x}\nc=${unclosed\n");
}

TEST(PropertyTemplateTest, ListsPlaceholdersSoBrokerInitKnowsWhatToLookUp) {
    auto list = placeholders("x=${ORDINAL}\ny=${NODE_LABEL:zone},${NODEPORT:ext}\n");
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[0], (Placeholder{"ORDINAL", ""}));
    EXPECT_EQ(list[1], (Placeholder{"NODE_LABEL", "zone"}));
    EXPECT_EQ(list[2], (Placeholder{"NODEPORT", "ext"}));
}

TEST(PropertyTemplateTest, PodOrdinalIsTheNumericSuffix) {
    EXPECT_EQ(pod_ordinal("events-broker-0").value(), 0);
    EXPECT_EQ(pod_ordinal("a-b-c-123").value(), 123);
    EXPECT_FALSE(pod_ordinal("events-broker-"));
    EXPECT_FALSE(pod_ordinal("events-broker-x1"));
    EXPECT_FALSE(pod_ordinal("nodash"));
    EXPECT_FALSE(pod_ordinal("a-99999999999"));
}

}  // namespace
}  // namespace kop::model
