#include "operator/controllers/broker_init.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "operator/kube/fake_kube_client.h"
#include "operator/model/broker_config.h"

namespace kop::controllers {
namespace {

namespace fs = std::filesystem;
using model::KafkaCluster;
using nlohmann::json;

class BrokerInitTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("broker-init-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
        json node = {
            {"apiVersion", "v1"},
            {"kind", "Node"},
            {"metadata",
             {{"name", "node-b"}, {"labels", {{"topology.kubernetes.io/zone", "zone-b"}}}}},
            {"status",
             {{"addresses", json::array({{{"type", "InternalIP"}, {"address", "10.1.0.2"}},
                                         {{"type", "ExternalIP"}, {"address", "203.0.113.9"}}})}}}};
        ASSERT_TRUE(fake_.create(kube::core_v1("nodes", false), "", node));
        json svc = {{"apiVersion", "v1"},
                    {"kind", "Service"},
                    {"metadata", {{"name", "events-broker-1-external"}}},
                    {"spec",
                     {{"type", "NodePort"},
                      {"ports", json::array({{{"port", 9094}, {"nodePort", 31001}}})}}}};
        ASSERT_TRUE(fake_.create(kube::core_v1("services"), "kafka", svc));
        args_.template_path = (dir_ / "template.properties").string();
        args_.out_path = (dir_ / "broker.properties").string();
        args_.pod_name = "events-broker-1";
        args_.pod_namespace = "kafka";
        args_.pod_ip = "10.244.0.5";
        args_.node_name = "node-b";
    }
    void TearDown() override { fs::remove_all(dir_); }

    void write_template(const std::string& text) { std::ofstream(args_.template_path) << text; }
    std::string output() {
        std::ifstream in(args_.out_path);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }

    kube::FakeKubeClient fake_;
    fs::path dir_;
    BrokerInitArgs args_;
};

TEST_F(BrokerInitTest, WritesTheBrokersOwnPropertiesFromNodeAndServices) {
    KafkaCluster c;
    c.metadata.name = "events";
    c.metadata.namespace_ = "kafka";
    c.spec.replicas = 3;
    c.spec.rack = api::v1alpha1::Rack{"topology.kubernetes.io/zone"};
    c.spec.listeners = {{"plain", 9092, "internal", false, ""},
                        {"external", 9094, "nodeport", false, ""}};
    write_template(model::render_broker_properties(c, model::Observed{}));
    std::string error;
    auto r = run_broker_init(fake_, args_, error);
    ASSERT_TRUE(r) << error;
    std::string p = output();
    EXPECT_NE(p.find("\nnode.id=1\n"), std::string::npos) << p;
    EXPECT_NE(p.find("\nbroker.rack=zone-b\n"), std::string::npos) << p;
    EXPECT_NE(p.find("EXTERNAL://203.0.113.9:31001"), std::string::npos) << p;
    EXPECT_NE(p.find("PLAIN://10.244.0.5:9092"), std::string::npos) << p;
    EXPECT_FALSE(fs::exists(args_.out_path + ".tmp"));
}

TEST_F(BrokerInitTest, ALoadBalancerWithoutAnAddressFailsSoTheKubeletRetries) {
    json svc = {{"apiVersion", "v1"},
                {"kind", "Service"},
                {"metadata", {{"name", "events-broker-1-lb"}}},
                {"spec", {{"type", "LoadBalancer"}}}};
    ASSERT_TRUE(fake_.create(kube::core_v1("services"), "kafka", svc));
    write_template("advertised.listeners=LB://${LB_ADDRESS:lb}:9095\n");
    std::string error;
    EXPECT_FALSE(run_broker_init(fake_, args_, error));
    EXPECT_NE(error.find("no address yet"), std::string::npos) << error;
    EXPECT_FALSE(fs::exists(args_.out_path));
}

TEST_F(BrokerInitTest, AMissingNodeLabelNamesThePlaceholder) {
    write_template("broker.rack=${NODE_LABEL:example.com/rack}\n");
    std::string error;
    EXPECT_FALSE(run_broker_init(fake_, args_, error));
    EXPECT_EQ(error, "no value for ${NODE_LABEL:example.com/rack}");
}

TEST_F(BrokerInitTest, AnUnreadableTemplateIsAnError) {
    std::string error;
    EXPECT_FALSE(run_broker_init(fake_, args_, error));
    EXPECT_NE(error.find("cannot read"), std::string::npos);
}

TEST(BrokerInitArgsTest, ParsesFlagsAndRefusesUnknownOnes) {
    setenv("POD_NAME", "events-broker-0", 1);
    setenv("POD_NAMESPACE", "kafka", 1);
    const char* argv[] = {"broker-init", "--template", "/t", "--out=/o", "--cluster", "events"};
    std::string error;
    auto a = parse_broker_init_args(6, argv, error);
    ASSERT_TRUE(a) << error;
    EXPECT_EQ(a.value().template_path, "/t");
    EXPECT_EQ(a.value().out_path, "/o");
    EXPECT_EQ(a.value().pod_name, "events-broker-0");
    const char* bad[] = {"broker-init", "--what", "x"};
    EXPECT_FALSE(parse_broker_init_args(3, bad, error));
}

}  // namespace
}  // namespace kop::controllers
