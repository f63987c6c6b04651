// KafkaClusterReconciler against a real kube-apiserver v1.20 (label kube), reading through real
// informers: the CRDs installed from manifests/ with kubectl, every rendered object accepted by
// the server, a second pass that makes no write despite server-side defaulting, policy/v1beta1
// found by discovery, deletion through the finalizer with garbage collection of owned objects,
// and status.clusterId read from a real broker whose pod the test reports as running (the test
// plays kubelet: it starts the broker on 127.0.0.x and patches the pod's status).

#include <cstdlib>
#include <mutex>

#include <gtest/gtest.h>

#include "operator/controllers/kafka_cluster_reconciler.h"
#include "operator/kafka_admin/kafka_admin_client.h"
#include "operator/runtime/conditions.h"
#include "operator/runtime/informer.h"
#include "tests/operator/kafka_admin/broker_process.h"
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
        return static_cast<int>(writes_.size());
    }
    // "verb resource/name" of each write since reset(), for failure messages.
    std::string written() const {
        std::lock_guard lock(mu_);
        std::string out;
        for (const auto& w : writes_) out += w + "; ";
        return out;
    }
    void reset() {
        std::lock_guard lock(mu_);
        writes_.clear();
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
        count("create " + g.resource + "/" + runtime::meta_string(o, "name"));
        return inner_.create(g, ns, o);
    }
    kube::Result<json> update(const kube::Gvr& g, const std::string& ns, const json& o) override {
        count("update " + g.resource + "/" + runtime::meta_string(o, "name"));
        return inner_.update(g, ns, o);
    }
    kube::Result<json> update_status(const kube::Gvr& g, const std::string& ns,
                                     const json& o) override {
        count("update_status " + g.resource + "/" + runtime::meta_string(o, "name"));
        return inner_.update_status(g, ns, o);
    }
    kube::Result<json> patch(const kube::Gvr& g, const std::string& ns, const std::string& n,
                             kube::PatchType t, const json& p, const std::string& sub) override {
        count("patch " + g.resource + "/" + n + " " + p.dump());
        return inner_.patch(g, ns, n, t, p, sub);
    }
    kube::Result<void> remove(const kube::Gvr& g, const std::string& ns, const std::string& n,
                              const kube::DeleteOptions& o) override {
        count("delete " + g.resource + "/" + n);
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
    void count(std::string what) {
        std::lock_guard lock(mu_);
        writes_.push_back(std::move(what));
    }
    kube::KubeClient& inner_;
    mutable std::mutex mu_;
    std::vector<std::string> writes_;
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

// Informers over every type the reconciler reads, in one namespace (cluster-scoped types: all).
class InformedCaches {
  public:
    InformedCaches(kube::KubeClient& client, const std::string& ns) : client_(client), ns_(ns) {
        for (const auto& gvr : kafka_cluster_read_types(false)) {
            auto cache = std::make_shared<runtime::Cache>();
            caches_.add(gvr, cache);
            informers_.push_back(
                std::make_unique<runtime::Informer>(client, gvr, gvr.namespaced ? ns : "", cache));
            types_.push_back(gvr);
        }
        for (auto& i : informers_) i->start();
    }
    ~InformedCaches() {
        for (auto& i : informers_) i->stop();
    }
    const ReadCaches& caches() const { return caches_; }

    // Whether every cache holds exactly what the server holds now (names and resourceVersions).
    bool caught_up() {
        for (const auto& gvr : types_) {
            const std::string scope = gvr.namespaced ? ns_ : "";
            auto list = client_.list(gvr, scope, {});
            if (!list) return false;
            std::map<std::string, std::string> server, cached;
            for (const auto& o : list.value()["items"]) {
                server[runtime::key_of(o).str()] = runtime::meta_string(o, "resourceVersion");
            }
            for (const auto& o : caches_.find(gvr)->list(scope)) {
                cached[runtime::key_of(o).str()] = runtime::meta_string(o, "resourceVersion");
            }
            if (server != cached) return false;
        }
        return true;
    }

  private:
    kube::KubeClient& client_;
    std::string ns_;
    ReadCaches caches_;
    std::vector<kube::Gvr> types_;
    std::vector<std::unique_ptr<runtime::Informer>> informers_;
};

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
        informed_ = std::make_unique<InformedCaches>(*client_, ns_);
        events_ = std::make_unique<runtime::EventRecorder>(*counting_, "kop-test");
    }
    void TearDown() override { informed_.reset(); }

    std::unique_ptr<KafkaClusterReconciler> reconciler() {
        KafkaClusterReconciler::Options options;
        options.cluster_ids = std::make_shared<KafkaClusterIdReader>(std::chrono::seconds(2));
        options.events = events_.get();
        return std::make_unique<KafkaClusterReconciler>(
            *counting_, informed_->caches(), std::make_shared<DiscoveryCache>(*counting_), options);
    }
    // One pass once the informers have caught up with the server (as they would between
    // events in the operator).
    common::Result<runtime::Outcome> pass(KafkaClusterReconciler& r) {
        if (!eventually([&] { return informed_->caught_up(); })) {
            ADD_FAILURE() << "the informers did not catch up";
        }
        return r.reconcile({ns_, "events"});
    }
    json get_cluster() {
        auto got = client_->get(kafka_clusters_gvr(), ns_, "events");
        return got ? got.value() : json();
    }

    static inline bool installed_ = false;
    std::unique_ptr<kube::HttpKubeClient> client_;
    std::unique_ptr<CountingKubeClient> counting_;
    std::unique_ptr<InformedCaches> informed_;
    std::unique_ptr<runtime::EventRecorder> events_;
    std::string ns_;
    const kube::Gvr sts_{"apps", "v1", "statefulsets"};
};

TEST_F(KafkaClusterKubeTest, ReconcilesToServerAcceptedObjectsAndASecondPassWritesNothing) {
    auto created = client_->create(kafka_clusters_gvr(), ns_, cluster_json());
    ASSERT_TRUE(created) << created.error().message();
    auto r = reconciler();
    auto first = pass(*r);
    ASSERT_TRUE(first) << first.error().message();

    auto set = client_->get(sts_, ns_, "events-broker");
    ASSERT_TRUE(set);
    EXPECT_EQ(set.value()["spec"]["updateStrategy"]["type"], "OnDelete");
    // v1.20 serves only policy/v1beta1: discovery must have chosen it.
    EXPECT_TRUE(client_->get({"policy", "v1beta1", "poddisruptionbudgets"}, ns_, "events-broker"));
    EXPECT_TRUE(client_->get(kube::core_v1("services"), ns_, "events-broker-2-external"));

    // kube-controller-manager creates the pods (no kubelet: they stay Pending).
    ASSERT_TRUE(eventually([&] {
        kube::ListOptions opts;
        opts.label_selector = "app.kubernetes.io/instance=events";
        auto pods = client_->list(kube::core_v1("pods"), ns_, opts);
        return pods && pods.value()["items"].size() == 3;
    }));
    // Status follows the pods; nothing else is written again.
    counting_->reset();
    auto second = pass(*r);
    ASSERT_TRUE(second) << second.error().message();
    for (const std::string verb : {"create ", "patch ", "update ", "delete "}) {
        EXPECT_EQ(counting_->written().find(verb), std::string::npos)
            << "the server's defaults made the applier write again: " << counting_->written();
    }
    ASSERT_TRUE(pass(*r));
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
    ASSERT_TRUE(pass(*r));
    EXPECT_EQ(counting_->writes(), 0) << counting_->written();
}

TEST_F(KafkaClusterKubeTest, DeletionReleasesTheFinalizerAndOwnedObjectsAreCollected) {
    ASSERT_TRUE(client_->create(kafka_clusters_gvr(), ns_, cluster_json()));
    auto r = reconciler();
    ASSERT_TRUE(pass(*r));
    const kube::Gvr cluster_roles{"rbac.authorization.k8s.io", "v1", "clusterroles", false};
    ASSERT_TRUE(client_->get(cluster_roles, "", "tributary-broker-" + ns_ + "-events"));
    ASSERT_TRUE(client_->remove(kafka_clusters_gvr(), ns_, "events"));
    ASSERT_TRUE(pass(*r));
    EXPECT_TRUE(eventually([&] { return !client_->get(kafka_clusters_gvr(), ns_, "events"); }));
    EXPECT_FALSE(client_->get(cluster_roles, "", "tributary-broker-" + ns_ + "-events"));
    EXPECT_TRUE(eventually([&] { return !client_->get(sts_, ns_, "events-broker"); }));
}

TEST_F(KafkaClusterKubeTest, AnInvalidSpecIsReportedInStatus) {
    json bad = cluster_json();
    bad["spec"]["config"]["advertised.listeners"] = "PLAIN://x:1";
    ASSERT_TRUE(client_->create(kafka_clusters_gvr(), ns_, bad));
    auto r = reconciler();
    auto outcome = pass(*r);
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome.value().kind, runtime::Outcome::Kind::Terminal);
    auto cluster = client_->get(kafka_clusters_gvr(), ns_, "events");
    ASSERT_TRUE(cluster);
    EXPECT_NE(cluster.value()["status"].dump().find("InvalidSpec"), std::string::npos);
    EXPECT_FALSE(client_->get(sts_, ns_, "events-broker"));
}

TEST_F(KafkaClusterKubeTest, ScalingBelowTheControllerVotersIsRefusedWithAWarning) {
    ASSERT_TRUE(client_->create(kafka_clusters_gvr(), ns_, cluster_json()));
    auto r = reconciler();
    ASSERT_TRUE(pass(*r));
    json c = get_cluster();
    c["spec"]["replicas"] = 1;
    ASSERT_TRUE(client_->update(kafka_clusters_gvr(), ns_, c));
    ASSERT_TRUE(eventually([&] {
        auto cached = informed_->caches().get(kafka_clusters_gvr(), ns_, "events");
        return cached && (*cached)["spec"]["replicas"] == 1;
    }));
    auto outcome = pass(*r);
    ASSERT_TRUE(outcome) << outcome.error().message();
    EXPECT_EQ(outcome.value().kind, runtime::Outcome::Kind::Terminal);
    EXPECT_EQ(client_->get(sts_, ns_, "events-broker").value()["spec"]["replicas"], 3);
    const json status = get_cluster()["status"];
    EXPECT_EQ(status["observedGeneration"], 2);
    bool refused = false;
    for (const auto& condition : status["conditions"]) {
        if (condition["type"] == "Ready") {
            refused =
                condition["status"] == "False" && condition["reason"] == kReasonScaleDownRefused;
        }
    }
    EXPECT_TRUE(refused) << status.dump();
    auto events = client_->list(kube::events_v1(), ns_, {});
    ASSERT_TRUE(events);
    bool warned = false;
    for (const auto& e : events.value()["items"]) {
        warned = warned || (e["reason"] == kReasonScaleDownRefused && e["type"] == "Warning");
    }
    EXPECT_TRUE(warned) << events.value().dump();
}

// The test plays kubelet for one broker pod: it runs a real broker on the pod's address and
// reports the pod Running and Ready with that podIP through the status subresource.
TEST_F(KafkaClusterKubeTest, TheClusterIdInStatusIsTheOneTheBrokerOnThePodIpReports) {
    testing::BrokerProcess broker;
    ASSERT_TRUE(broker.start("cluster-id-" + ns_));
    json c = cluster_json();
    c["spec"]["replicas"] = 1;
    c["spec"]["listeners"] = json::array({{{"name", "plain"}, {"port", broker.port()}}});
    c["spec"].erase("authorization");  // it needs an authenticated listener
    ASSERT_TRUE(client_->create(kafka_clusters_gvr(), ns_, c));
    auto r = reconciler();
    auto first = pass(*r);
    ASSERT_TRUE(first) << first.error().message();
    ASSERT_EQ(first.value().kind, runtime::Outcome::Kind::RequeueAfter) << get_cluster().dump();
    ASSERT_TRUE(eventually([&] {
        return client_->get(kube::core_v1("pods"), ns_, "events-broker-0").has_value();
    })) << "no broker pod; cluster: "
        << get_cluster().dump();
    json running = {{"status",
                     {{"phase", "Running"},
                      {"podIP", broker.host()},
                      {"podIPs", json::array({{{"ip", broker.host()}}})},
                      {"conditions", json::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
    auto patched = client_->patch(kube::core_v1("pods"), ns_, "events-broker-0",
                                  kube::PatchType::Merge, running, "status");
    ASSERT_TRUE(patched) << patched.error().message();

    auto outcome = pass(*r);
    ASSERT_TRUE(outcome) << outcome.error().message();
    auto admin = kafka_admin::KafkaAdminClient::connect({broker.bootstrap()});
    ASSERT_TRUE(admin) << admin.error().message();
    auto reported = admin.value()->describe_cluster();
    ASSERT_TRUE(reported) << reported.error().message();
    json status = get_cluster()["status"];
    EXPECT_EQ(status.value("clusterId", ""), reported.value().cluster_id) << status.dump();
    EXPECT_EQ(status["readyBrokers"], 1);
    const runtime::Json* ready = runtime::find_condition(status["conditions"], "Ready");
    ASSERT_NE(ready, nullptr);
    EXPECT_EQ((*ready)["status"], "True") << status.dump();
    std::string persisted = broker.meta_property("cluster.id");
    if (!persisted.empty()) {
        EXPECT_EQ(status.value("clusterId", ""), persisted);
    }
    counting_->reset();
    ASSERT_TRUE(pass(*r));
    EXPECT_EQ(counting_->writes(), 0) << counting_->written();

    // No broker answers any more: the id stays, Ready stays True and its message says why.
    EXPECT_EQ(broker.stop(), 0);
    ASSERT_TRUE(pass(*r));
    status = get_cluster()["status"];
    EXPECT_EQ(status.value("clusterId", ""), reported.value().cluster_id);
    ready = runtime::find_condition(status["conditions"], "Ready");
    ASSERT_NE(ready, nullptr);
    EXPECT_EQ((*ready)["status"], "True");
    EXPECT_NE((*ready)["message"].get<std::string>().find("connection refused"), std::string::npos)
        << status.dump();
}

}  // namespace
}  // namespace kop::controllers
