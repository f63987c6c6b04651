// KafkaClusterReconciler against a real kube-apiserver v1.20 (label kube): the CRDs installed
// from manifests/ with kubectl, every rendered object accepted by the server, a second pass that
// makes no write despite server-side defaulting, policy/v1beta1 found by discovery, and deletion
// through the finalizer with garbage collection of owned objects.

#include <cstdlib>
#include <mutex>

#include <gtest/gtest.h>

#include "operator/controllers/kafka_cluster_reconciler.h"
#include "tests/operator/kube/control_plane.h"
#include "tests/operator/kube/eventually.h"

namespace kop::controllers {
namespace {

using kop::testing::eventually;
using kop::testing::KubeEnvironment;
using nlohmann::json;

const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new testing::KubeEnvironment);

// Forwards to a real client and counts the requests that write.
class CountingKubeClient final : public kube::KubeClient {
  public:
    explicit CountingKubeClient(kube::KubeClient& inner) : inner_(inner) {}
    int writes() const {
        std::lock_guard lock(mu_);
        return writes_;
    }
    void reset() {
        std::lock_guard lock(mu_);
        writes_ = 0;
    }

    kube::Result<json> get(const kube::Gvr& g, const std::string& ns,
                           const std::string& n) override {
        return inner_.get(g, ns, n);
    }
    kube::Result<json> list(const kube::Gvr& g, const std::string& ns,
                            const kube::ListOptions& o) override {
        return inner_.list(g, ns, o);
    }
    kube::Result<json> create(const kube::Gvr& g, const std::string& ns, const json& o) override {
        count();
        return inner_.create(g, ns, o);
    }
    kube::Result<json> update(const kube::Gvr& g, const std::string& ns, const json& o) override {
        count();
        return inner_.update(g, ns, o);
    }
    kube::Result<json> update_status(const kube::Gvr& g, const std::string& ns,
                                     const json& o) override {
        count();
        return inner_.update_status(g, ns, o);
    }
    kube::Result<json> patch(const kube::Gvr& g, const std::string& ns, const std::string& n,
                             kube::PatchType t, const json& p, const std::string& sub) override {
        count();
        return inner_.patch(g, ns, n, t, p, sub);
    }
    kube::Result<void> remove(const kube::Gvr& g, const std::string& ns, const std::string& n,
                              const kube::DeleteOptions& o) override {
        count();
        return inner_.remove(g, ns, n, o);
    }
    kube::Result<std::unique_ptr<kube::WatchStream>> watch(const kube::Gvr& g,
                                                           const std::string& ns,
                                                           const kube::ListOptions& o) override {
        return inner_.watch(g, ns, o);
    }
    kube::Result<std::vector<kube::ApiResource>> server_resources(const std::string& gv) override {
        return inner_.server_resources(gv);
    }

  private:
    void count() {
        std::lock_guard lock(mu_);
        ++writes_;
    }
    kube::KubeClient& inner_;
    mutable std::mutex mu_;
    int writes_ = 0;
};

std::string source_dir() {
    const char* s = std::getenv("TRIBUTARY_SOURCE_DIR");
    return s != nullptr ? s : ".";
}

// kubectl apply -f manifests/ (a real kubectl v1.32 against the v1.20 server).
bool apply_manifests(const std::string& kubeconfig) {
    std::string cmd = "set -e; k=$(" + source_dir() +
                      "/helm/fetch-tools.sh kubectl); $k --kubeconfig " + kubeconfig +
                      " apply -f " + source_dir() + "/manifests/ >/dev/null && $k --kubeconfig " +
                      kubeconfig +
                      " wait --for condition=established --timeout=60s"
                      " crd/kafkaclusters.tributary.io crd/kafkatopics.tributary.io"
                      " crd/kafkausers.tributary.io >/dev/null";
    return std::system(("bash -c '" + cmd + "'").c_str()) == 0;
}

json cluster_json() {
    return json{{"apiVersion", "tributary.io/v1alpha1"},
                {"kind", "KafkaCluster"},
                {"metadata", {{"name", "events"}}},
                {"spec",
                 {{"replicas", 3},
                  {"resources", {{"requests", {{"cpu", "500m"}, {"memory", "1Gi"}}}}},
                  {"storage", {{"type", "persistent-claim"}, {"size", "10Gi"}}},
                  {"rack", {{"topologyKey", "topology.kubernetes.io/zone"}}},
                  {"listeners", json::array({{{"name", "plain"}, {"port", 9092}},
                                             {{"name", "external"},
                                              {"port", 9094},
                                              {"type", "nodeport"},
                                              {"authentication", {{"type", "scram-sha-512"}}}}})},
                  {"authorization", {{"type", "simple"}, {"superUsers", json::array({"admin"})}}},
                  {"config", {{"log.retention.ms", 3600000}}},
                  {"metrics", {{"enabled", true}}}}}};
}

class KafkaClusterKubeTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        installed_ = apply_manifests(KubeEnvironment::plane().kubeconfig());
    }
    void SetUp() override {
        ASSERT_TRUE(installed_) << "kubectl apply -f manifests/ failed";
        client_ = KubeEnvironment::plane().client();
        ASSERT_NE(client_, nullptr);
        ns_ = testing::create_namespace(*client_, "kc");
        counting_ = std::make_unique<CountingKubeClient>(*client_);
    }
    KafkaClusterReconciler reconciler() { return KafkaClusterReconciler(*counting_, {}); }

    static inline bool installed_ = false;
    std::unique_ptr<kube::HttpKubeClient> client_;
    std::unique_ptr<CountingKubeClient> counting_;
    std::string ns_;
    const kube::Gvr sts_{"apps", "v1", "statefulsets"};
};

TEST_F(KafkaClusterKubeTest, ReconcilesToServerAcceptedObjectsAndASecondPassWritesNothing) {
    auto created = client_->create(kafka_clusters_gvr(), ns_, cluster_json());
    ASSERT_TRUE(created) << created.error().message();
    auto r = reconciler();
    auto first = r.reconcile({ns_, "events"});
    ASSERT_TRUE(first) << first.error().message();

    auto set = client_->get(sts_, ns_, "events-broker");
    ASSERT_TRUE(set);
    EXPECT_EQ(set.value()["spec"]["updateStrategy"]["type"], "OnDelete");
    // v1.20 serves only policy/v1beta1: discovery must have chosen it.
    EXPECT_TRUE(client_->get({"policy", "v1beta1", "poddisruptionbudgets"}, ns_, "events-broker"));
    EXPECT_TRUE(client_->get(kube::core_v1("services"), ns_, "events-broker-2-external"));

    counting_->reset();
    auto second = r.reconcile({ns_, "events"});
    ASSERT_TRUE(second) << second.error().message();
    EXPECT_EQ(counting_->writes(), 0) << "the server's defaults made the applier patch again";

    // kube-controller-manager creates the pods (no kubelet: they stay Pending).
    ASSERT_TRUE(eventually([&] {
        kube::ListOptions opts;
        opts.label_selector = "app.kubernetes.io/instance=events";
        auto pods = client_->list(kube::core_v1("pods"), ns_, opts);
        return pods && pods.value()["items"].size() == 3;
    }));
    ASSERT_TRUE(r.reconcile({ns_, "events"}));
    auto cluster = client_->get(kafka_clusters_gvr(), ns_, "events");
    ASSERT_TRUE(cluster);
    const json& status = cluster.value()["status"];
    EXPECT_EQ(status["observedGeneration"], cluster.value()["metadata"]["generation"]);
    EXPECT_EQ(status["brokers"].size(), 3u);
    EXPECT_EQ(status["readyBrokers"], 0);
    bool not_ready = false;
    for (const auto& c : status["conditions"]) {
        if (c["type"] == "Ready") not_ready = c["status"] == "False";
    }
    EXPECT_TRUE(not_ready) << status.dump();
    counting_->reset();
    ASSERT_TRUE(r.reconcile({ns_, "events"}));
    EXPECT_EQ(counting_->writes(), 0);
}

TEST_F(KafkaClusterKubeTest, DeletionReleasesTheFinalizerAndOwnedObjectsAreCollected) {
    ASSERT_TRUE(client_->create(kafka_clusters_gvr(), ns_, cluster_json()));
    auto r = reconciler();
    ASSERT_TRUE(r.reconcile({ns_, "events"}));
    const kube::Gvr cluster_roles{"rbac.authorization.k8s.io", "v1", "clusterroles", false};
    ASSERT_TRUE(client_->get(cluster_roles, "", "tributary-broker-" + ns_ + "-events"));
    ASSERT_TRUE(client_->remove(kafka_clusters_gvr(), ns_, "events"));
    ASSERT_TRUE(r.reconcile({ns_, "events"}));
    EXPECT_TRUE(eventually([&] { return !client_->get(kafka_clusters_gvr(), ns_, "events"); }));
    EXPECT_FALSE(client_->get(cluster_roles, "", "tributary-broker-" + ns_ + "-events"));
    EXPECT_TRUE(eventually([&] { return !client_->get(sts_, ns_, "events-broker"); }));
}

TEST_F(KafkaClusterKubeTest, AnInvalidSpecIsReportedInStatus) {
    json bad = cluster_json();
    bad["spec"]["config"]["advertised.listeners"] = "PLAIN://x:1";
    ASSERT_TRUE(client_->create(kafka_clusters_gvr(), ns_, bad));
    auto r = reconciler();
    auto outcome = r.reconcile({ns_, "events"});
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome.value().kind, runtime::Outcome::Kind::Terminal);
    auto cluster = client_->get(kafka_clusters_gvr(), ns_, "events");
    ASSERT_TRUE(cluster);
    EXPECT_NE(cluster.value()["status"].dump().find("InvalidSpec"), std::string::npos);
    EXPECT_FALSE(client_->get(sts_, ns_, "events-broker"));
}

}  // namespace
}  // namespace kop::controllers
