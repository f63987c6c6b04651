// KafkaClusterReconciler against FakeKubeClient (in-memory API semantics): creation, the
// zero-write second pass, InvalidSpec, discovery of the PDB version, status from pods, deletion.

#include "operator/controllers/kafka_cluster_reconciler.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "operator/kube/fake_kube_client.h"
#include "operator/model/broker_config.h"

namespace kop::controllers {
namespace {

using Json = nlohmann::json;

Json cluster_json(int replicas) {
    return Json{
        {"apiVersion", "tributary.io/v1alpha1"},
        {"kind", "KafkaCluster"},
        {"metadata", {{"name", "events"}, {"namespace", "kafka"}}},
        {"spec",
         {{"replicas", replicas},
          {"storage", {{"type", "persistent-claim"}, {"size", "10Gi"}, {"deleteClaim", true}}},
          {"rack", {{"topologyKey", "topology.kubernetes.io/zone"}}},
          {"listeners", Json::array({{{"name", "plain"}, {"port", 9092}}})}}}};
}

class ReconcilerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        fake_.serve("policy/v1", {{"poddisruptionbudgets", "PodDisruptionBudget", true}});
    }

    KafkaClusterReconciler reconciler() {
        KafkaClusterReconciler::Options options;
        options.now = [] { return std::string("2026-01-01T00:00:00Z"); };
        return KafkaClusterReconciler(fake_, options);
    }

    void create(const Json& cluster) {
        ASSERT_TRUE(fake_.create(kafka_clusters_gvr(), "kafka", cluster));
    }

    Json get(const kube::Gvr& gvr, const std::string& ns, const std::string& name) {
        auto got = fake_.get(gvr, ns, name);
        return got ? got.value() : Json();
    }

    Json cluster() { return get(kafka_clusters_gvr(), "kafka", "events"); }

    size_t writes() {
        size_t n = 0;
        for (const auto& a : fake_.actions())
            n += a.verb == "create" || a.verb == "update" || a.verb == "update_status" ||
                 a.verb == "patch" || a.verb == "delete";
        return n;
    }

    static const Json* condition(const Json& obj, const std::string& type) {
        for (const auto& c : obj["status"]["conditions"]) {
            if (c["type"] == type) return &c;
        }
        return nullptr;
    }

    kube::FakeKubeClient fake_;
    const kube::Gvr sts_{"apps", "v1", "statefulsets"};
    const kube::Gvr pdb_v1_{"policy", "v1", "poddisruptionbudgets"};
    const kube::Gvr pdb_v1beta1_{"policy", "v1beta1", "poddisruptionbudgets"};
    const kube::Gvr cluster_roles_{"rbac.authorization.k8s.io", "v1", "clusterroles", false};
};

TEST_F(ReconcilerTest, FirstPassCreatesEveryObjectWithOwnerAndFinalizer) {
    create(cluster_json(3));
    auto r = reconciler();
    auto outcome = r.reconcile({"kafka", "events"});
    ASSERT_TRUE(outcome) << outcome.error().message();
    EXPECT_EQ(outcome.value().kind, runtime::Outcome::Kind::RequeueAfter);

    Json set = get(sts_, "kafka", "events-broker");
    ASSERT_FALSE(set.is_null());
    EXPECT_EQ(set["spec"]["replicas"], 3);
    EXPECT_EQ(set["metadata"]["ownerReferences"][0]["uid"], cluster()["metadata"]["uid"]);
    EXPECT_FALSE(get(pdb_v1_, "kafka", "events-broker").is_null());
    EXPECT_FALSE(get(kube::core_v1("configmaps"), "kafka", "events-broker-config").is_null());
    EXPECT_FALSE(get(kube::core_v1("services"), "kafka", "events-bootstrap").is_null());
    EXPECT_FALSE(get(cluster_roles_, "", "tributary-broker-kafka-events").is_null());

    Json c = cluster();
    EXPECT_EQ(c["metadata"]["finalizers"][0], kClusterFinalizer);
    EXPECT_EQ(c["status"]["observedGeneration"], 1);
    ASSERT_NE(condition(c, "Ready"), nullptr);
    EXPECT_EQ((*condition(c, "Ready"))["status"], "False");
    EXPECT_EQ((*condition(c, "Ready"))["reason"], "Creating");
    EXPECT_EQ((*condition(c, "Reconciling"))["status"], "True");
    EXPECT_EQ((*condition(c, "Degraded"))["status"], "False");
}

TEST_F(ReconcilerTest, ASecondPassWithNothingChangedMakesNoWrite) {
    create(cluster_json(3));
    auto r = reconciler();
    ASSERT_TRUE(r.reconcile({"kafka", "events"}));
    fake_.clear_actions();
    ASSERT_TRUE(r.reconcile({"kafka", "events"}));
    EXPECT_EQ(writes(), 0u);
}

TEST_F(ReconcilerTest, ASpecChangePatchesOnlyWhatChanged) {
    create(cluster_json(3));
    auto r = reconciler();
    ASSERT_TRUE(r.reconcile({"kafka", "events"}));
    Json c = cluster();
    c["spec"]["replicas"] = 5;
    ASSERT_TRUE(fake_.update(kafka_clusters_gvr(), "kafka", c));
    fake_.clear_actions();
    ASSERT_TRUE(r.reconcile({"kafka", "events"}));
    std::vector<std::string> patched;
    for (const auto& a : fake_.actions()) {
        if (a.verb == "patch") patched.push_back(a.resource + "/" + a.name);
    }
    // Scaling past three keeps broker.properties (and so the config hash) unchanged.
    EXPECT_EQ(patched, std::vector<std::string>{"statefulsets/events-broker"});
    EXPECT_EQ(get(sts_, "kafka", "events-broker")["spec"]["replicas"], 5);
    EXPECT_EQ(cluster()["status"]["observedGeneration"], 2);
}

TEST_F(ReconcilerTest, AnInvalidSpecIsReportedAndNotRetried) {
    Json bad = cluster_json(0);
    bad["spec"]["config"] = {{"node.id", "7"}};
    create(bad);
    auto r = reconciler();
    auto outcome = r.reconcile({"kafka", "events"});
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome.value().kind, runtime::Outcome::Kind::Terminal);
    EXPECT_TRUE(get(sts_, "kafka", "events-broker").is_null());
    Json c = cluster();
    const Json* ready = condition(c, "Ready");
    ASSERT_NE(ready, nullptr);
    EXPECT_EQ((*ready)["reason"], "InvalidSpec");
    std::string message = (*ready)["message"];
    EXPECT_NE(message.find("spec.replicas"), std::string::npos) << message;
    EXPECT_NE(message.find("spec.config.node.id"), std::string::npos) << message;
    fake_.clear_actions();
    ASSERT_TRUE(r.reconcile({"kafka", "events"}));
    EXPECT_EQ(writes(), 0u);
}

TEST_F(ReconcilerTest, PdbUsesPolicyV1beta1WhenPolicyV1IsNotServed) {
    fake_.serve("policy/v1", {});
    create(cluster_json(3));
    auto r = reconciler();
    ASSERT_TRUE(r.reconcile({"kafka", "events"}));
    EXPECT_TRUE(get(pdb_v1_, "kafka", "events-broker").is_null());
    EXPECT_FALSE(get(pdb_v1beta1_, "kafka", "events-broker").is_null());
}

Json ready_pod(int ordinal, const std::string& hash) {
    return Json{
        {"apiVersion", "v1"},
        {"kind", "Pod"},
        {"metadata",
         {{"name", "events-broker-" + std::to_string(ordinal)},
          {"labels",
           {{"app.kubernetes.io/name", "tributary"},
            {"app.kubernetes.io/instance", "events"},
            {"app.kubernetes.io/component", "broker"}}},
          {"annotations", {{model::kConfigHashAnnotation, hash}}}}},
        {"status", {{"conditions", Json::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
}

TEST_F(ReconcilerTest, StatusBecomesReadyWhenEveryBrokerIsReadyWithTheCurrentConfig) {
    create(cluster_json(3));
    auto r = reconciler();
    ASSERT_TRUE(r.reconcile({"kafka", "events"}));
    std::string hash =
        get(sts_, "kafka", "events-broker")["spec"]["template"]["metadata"]["annotations"]
                                           [model::kConfigHashAnnotation];
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(
            fake_.create(kube::core_v1("pods"), "kafka", ready_pod(i, i == 2 ? "old" : hash)));
    }
    ASSERT_TRUE(r.reconcile({"kafka", "events"}));
    EXPECT_EQ((*condition(cluster(), "Ready"))["status"], "False");
    EXPECT_EQ(cluster()["status"]["readyBrokers"], 3);

    Json node = {{"apiVersion", "v1"},
                 {"kind", "Node"},
                 {"metadata",
                  {{"name", "node-b"}, {"labels", {{"topology.kubernetes.io/zone", "zone-b"}}}}}};
    ASSERT_TRUE(fake_.create(kube::core_v1("nodes", false), "", node));
    Json scheduled = get(kube::core_v1("pods"), "kafka", "events-broker-1");
    scheduled["spec"]["nodeName"] = "node-b";
    ASSERT_TRUE(fake_.update(kube::core_v1("pods"), "kafka", scheduled));
    ASSERT_TRUE(fake_.remove(kube::core_v1("pods"), "kafka", "events-broker-2"));
    ASSERT_TRUE(fake_.create(kube::core_v1("pods"), "kafka", ready_pod(2, hash)));
    auto outcome = r.reconcile({"kafka", "events"});
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome.value().kind, runtime::Outcome::Kind::Done);
    Json c = cluster();
    EXPECT_EQ((*condition(c, "Ready"))["status"], "True");
    EXPECT_EQ((*condition(c, "Reconciling"))["status"], "False");
    ASSERT_EQ(c["status"]["brokers"].size(), 3u);
    EXPECT_EQ(c["status"]["brokers"][1]["pod"], "events-broker-1");
    EXPECT_EQ(c["status"]["brokers"][1]["rack"], "zone-b");
    EXPECT_FALSE(c["status"]["brokers"][0].contains("rack"));
    EXPECT_EQ(c["status"]["listeners"][0]["bootstrap"], "events-bootstrap.kafka.svc:9092");
    fake_.clear_actions();
    ASSERT_TRUE(r.reconcile({"kafka", "events"}));
    EXPECT_EQ(writes(), 0u);
}

TEST_F(ReconcilerTest, DeletionRemovesClusterScopedRbacAndClaimsThenReleasesTheFinalizer) {
    create(cluster_json(3));
    auto r = reconciler();
    ASSERT_TRUE(r.reconcile({"kafka", "events"}));
    Json pvc = {{"apiVersion", "v1"},
                {"kind", "PersistentVolumeClaim"},
                {"metadata",
                 {{"name", "data-events-broker-0"},
                  {"labels",
                   {{"app.kubernetes.io/name", "tributary"},
                    {"app.kubernetes.io/instance", "events"},
                    {"app.kubernetes.io/component", "broker"}}}}}};
    ASSERT_TRUE(fake_.create(kube::core_v1("persistentvolumeclaims"), "kafka", pvc));
    ASSERT_TRUE(fake_.remove(kafka_clusters_gvr(), "kafka", "events"));
    ASSERT_FALSE(cluster().is_null());  // held by the finalizer
    ASSERT_TRUE(r.reconcile({"kafka", "events"}));
    EXPECT_TRUE(cluster().is_null());
    EXPECT_TRUE(get(cluster_roles_, "", "tributary-broker-kafka-events").is_null());
    EXPECT_TRUE(
        get(kube::core_v1("persistentvolumeclaims"), "kafka", "data-events-broker-0").is_null());
}

TEST_F(ReconcilerTest, AMissingClusterIsDone) {
    auto r = reconciler();
    auto outcome = r.reconcile({"kafka", "nothing"});
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome.value().kind, runtime::Outcome::Kind::Done);
}

TEST(GvrOfTest, MapsRenderedKindsToResources) {
    auto g = gvr_of(Json{{"apiVersion", "policy/v1beta1"}, {"kind", "PodDisruptionBudget"}});
    ASSERT_TRUE(g);
    EXPECT_EQ(g.value().group_version(), "policy/v1beta1");
    EXPECT_EQ(g.value().resource, "poddisruptionbudgets");
    auto cr = gvr_of(Json{{"apiVersion", "rbac.authorization.k8s.io/v1"}, {"kind", "ClusterRole"}});
    ASSERT_TRUE(cr);
    EXPECT_FALSE(cr.value().namespaced);
    EXPECT_FALSE(gvr_of(Json{{"apiVersion", "v1"}, {"kind", "Unknown"}}));
}

}  // namespace
}  // namespace kop::controllers
