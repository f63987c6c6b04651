// KafkaClusterReconciler against FakeKubeClient (in-memory API semantics), reading through caches
// kept in step with the fake (as caught-up informers would be): creation, the zero-write second
// pass, no reads from the server, InvalidSpec, cached discovery of the PDB version, status from
// pods, the cluster id from the brokers (a fake reader), deletion.

#include "operator/controllers/kafka_cluster_reconciler.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "operator/kafka_admin/errc.h"
#include "operator/kube/fake_kube_client.h"
#include "operator/model/broker_config.h"
#include "operator/runtime/owner.h"

namespace kop::controllers {
namespace {

using Json = nlohmann::json;

// Forwards to the fake and counts the requests that read (the fake records only writes).
class ReadCountingClient final : public kube::KubeClient {
  public:
    explicit ReadCountingClient(kube::KubeClient& inner) : inner_(inner) {}
    int reads = 0;

    kube::Result<Json> get(const kube::Gvr& g, const std::string& ns,
                           const std::string& n) override {
        ++reads;
        return inner_.get(g, ns, n);
    }
    kube::Result<Json> list(const kube::Gvr& g, const std::string& ns,
                            const kube::ListOptions& o) override {
        ++reads;
        return inner_.list(g, ns, o);
    }
    kube::Result<Json> create(const kube::Gvr& g, const std::string& ns, const Json& o) override {
        return inner_.create(g, ns, o);
    }
    kube::Result<Json> update(const kube::Gvr& g, const std::string& ns, const Json& o) override {
        return inner_.update(g, ns, o);
    }
    kube::Result<Json> update_status(const kube::Gvr& g, const std::string& ns,
                                     const Json& o) override {
        return inner_.update_status(g, ns, o);
    }
    kube::Result<Json> patch(const kube::Gvr& g, const std::string& ns, const std::string& n,
                             kube::PatchType t, const Json& p, const std::string& sub) override {
        return inner_.patch(g, ns, n, t, p, sub);
    }
    kube::Result<void> remove(const kube::Gvr& g, const std::string& ns, const std::string& n,
                              const kube::DeleteOptions& o) override {
        return inner_.remove(g, ns, n, o);
    }
    kube::Result<std::unique_ptr<kube::WatchStream>> watch(const kube::Gvr& g,
                                                           const std::string& ns,
                                                           const kube::ListOptions& o) override {
        return inner_.watch(g, ns, o);
    }
    kube::Result<std::vector<kube::ApiResource>> server_resources(const std::string& gv) override {
        ++reads;
        return inner_.server_resources(gv);
    }

  private:
    kube::KubeClient& inner_;
};

// Answers with a fixed id, or an error; counts the calls and keeps the addresses asked.
class FakeClusterIdReader final : public ClusterIdReader {
  public:
    common::Result<std::string> read(const std::vector<std::string>& addresses) override {
        ++calls;
        asked = addresses;
        if (!id.empty()) return id;
        return common::Result<std::string>(error);
    }
    std::string id = "c-1";
    std::error_code error = kafka_admin::Errc::Timeout;
    int calls = 0;
    std::vector<std::string> asked;
};

// Answers with fixed counts, or an error; keeps the addresses asked.
class FakeReplicaHolderReader final : public ReplicaHolderReader {
  public:
    common::Result<ReplicaCounts> read(const std::vector<std::string>& addresses) override {
        asked = addresses;
        if (!error) return counts;
        return common::Result<ReplicaCounts>(error);
    }
    ReplicaCounts counts;
    std::error_code error;
    std::vector<std::string> asked;
};

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
        for (bool v1 : {true, false}) {
            for (const auto& gvr : kafka_cluster_read_types(v1)) {
                if (caches_.find(gvr) != nullptr) continue;
                caches_.add(gvr, std::make_shared<runtime::Cache>());
                types_.push_back(gvr);
            }
        }
    }

    // Brings every cache up to the fake's state, as informers that caught up would.
    void sync() {
        for (const auto& gvr : types_) {
            auto list = fake_.list(gvr, "", {});
            ASSERT_TRUE(list);
            std::vector<Json> items(list.value()["items"].begin(), list.value()["items"].end());
            caches_.find(gvr)->replace("", items);
        }
    }

    std::unique_ptr<KafkaClusterReconciler> reconciler() {
        KafkaClusterReconciler::Options options;
        options.now = [] { return std::string("2026-01-01T00:00:00Z"); };
        options.cluster_ids = ids_;
        options.replica_holders = holders_;
        options.events = &events_;
        return std::make_unique<KafkaClusterReconciler>(counting_, caches_, discovery_, options);
    }

    // One pass on caches that have caught up with the fake.
    common::Result<runtime::Outcome> pass(KafkaClusterReconciler& r,
                                          const std::string& name = "events") {
        sync();
        return r.reconcile({"kafka", name});
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

    // The Events recorded in the namespace with this reason.
    std::vector<Json> events(const std::string& reason) {
        std::vector<Json> out;
        Json list = fake_.list(kube::events_v1(), "kafka", {}).value();
        for (const auto& e : list["items"]) {
            if (e.value("reason", "") == reason) out.push_back(e);
        }
        return out;
    }

    static const Json* condition(const Json& obj, const std::string& type) {
        for (const auto& c : obj["status"]["conditions"]) {
            if (c["type"] == type) return &c;
        }
        return nullptr;
    }

    kube::FakeKubeClient fake_;
    ReadCountingClient counting_{fake_};
    ReadCaches caches_;
    std::vector<kube::Gvr> types_;
    std::shared_ptr<DiscoveryCache> discovery_ = std::make_shared<DiscoveryCache>(fake_);
    std::shared_ptr<FakeClusterIdReader> ids_ = std::make_shared<FakeClusterIdReader>();
    std::shared_ptr<FakeReplicaHolderReader> holders_ = std::make_shared<FakeReplicaHolderReader>();
    runtime::EventRecorder events_{fake_, "tributary-operator"};
    const kube::Gvr sts_{"apps", "v1", "statefulsets"};
    const kube::Gvr pdb_v1_{"policy", "v1", "poddisruptionbudgets"};
    const kube::Gvr pdb_v1beta1_{"policy", "v1beta1", "poddisruptionbudgets"};
    const kube::Gvr cluster_roles_{"rbac.authorization.k8s.io", "v1", "clusterroles", false};
};

TEST_F(ReconcilerTest, FirstPassCreatesEveryObjectWithOwnerAndFinalizer) {
    create(cluster_json(3));
    auto r = reconciler();
    auto outcome = pass(*r);
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
    ASSERT_TRUE(pass(*r));
    fake_.clear_actions();
    ASSERT_TRUE(pass(*r));
    EXPECT_EQ(writes(), 0u);
}

TEST_F(ReconcilerTest, ASpecChangePatchesOnlyWhatChanged) {
    create(cluster_json(3));
    auto r = reconciler();
    ASSERT_TRUE(pass(*r));
    Json c = cluster();
    c["spec"]["replicas"] = 5;
    ASSERT_TRUE(fake_.update(kafka_clusters_gvr(), "kafka", c));
    fake_.clear_actions();
    ASSERT_TRUE(pass(*r));
    std::vector<std::string> patched;
    for (const auto& a : fake_.actions()) {
        if (a.verb == "patch") patched.push_back(a.resource + "/" + a.name);
    }
    // Scaling from 3 to 5 keeps the controller voters (the first three brokers; the new ones
    // are broker-only): broker.properties and the config hash stay, so only the StatefulSet's
    // replicas change and no running broker restarts.
    EXPECT_EQ(patched, (std::vector<std::string>{"statefulsets/events-broker"}));
    EXPECT_EQ(get(sts_, "kafka", "events-broker")["spec"]["replicas"], 5);
    EXPECT_EQ(cluster()["status"]["observedGeneration"], 2);
}

TEST_F(ReconcilerTest, AClusterGrownFromOneBrokerKeepsItsOneControllerVoter) {
    create(cluster_json(1));
    auto r = reconciler();
    ASSERT_TRUE(pass(*r));
    const auto properties = [&] {
        return get(kube::core_v1("configmaps"), "kafka",
                   "events-broker-config")["data"][model::kPropertiesKey]
            .get<std::string>();
    };
    ASSERT_EQ(model::rendered_voter_count(properties()), 1);
    Json c = cluster();
    c["spec"]["replicas"] = 3;
    ASSERT_TRUE(fake_.update(kafka_clusters_gvr(), "kafka", c));
    ASSERT_TRUE(pass(*r));
    // The brokers refuse a voter set other than the one their metadata log was formed with: the
    // two new brokers join as broker-only nodes.
    EXPECT_EQ(model::rendered_voter_count(properties()), 1);
    EXPECT_NE(properties().find("process.roles=${PROCESS_ROLES:1}\n"), std::string::npos);
    EXPECT_EQ(get(sts_, "kafka", "events-broker")["spec"]["replicas"], 3);
}

TEST_F(ReconcilerTest, ScalingBelowTheControllerVotersIsRefusedAndChangesNothing) {
    create(cluster_json(3));
    auto r = reconciler();
    ASSERT_TRUE(pass(*r));
    Json c = cluster();
    c["spec"]["replicas"] = 1;
    ASSERT_TRUE(fake_.update(kafka_clusters_gvr(), "kafka", c));
    fake_.clear_actions();
    auto outcome = pass(*r);
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome.value().kind, runtime::Outcome::Kind::Terminal);
    EXPECT_EQ(get(sts_, "kafka", "events-broker")["spec"]["replicas"], 3);
    Json after = cluster();
    EXPECT_EQ(after["status"]["observedGeneration"], 2);
    for (const char* type : {"Ready", "Reconciling", "Degraded"}) {
        ASSERT_NE(condition(after, type), nullptr) << type;
        EXPECT_EQ((*condition(after, type))["reason"], kReasonScaleDownRefused) << type;
    }
    EXPECT_EQ((*condition(after, "Ready"))["status"], "False");
    EXPECT_EQ((*condition(after, "Degraded"))["status"], "True");
    EXPECT_EQ((*condition(after, "Ready"))["message"],
              "spec.replicas 1 is below the cluster's 3 controller voters (pods 0-2): the voters "
              "are fixed when the cluster is created, and removing one would take the controller "
              "quorum's majority; nothing was changed");
    auto warnings = events(kReasonScaleDownRefused);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0]["type"], "Warning");
    // Back to three: reconciled as before.
    c = cluster();
    c["spec"]["replicas"] = 3;
    ASSERT_TRUE(fake_.update(kafka_clusters_gvr(), "kafka", c));
    ASSERT_TRUE(pass(*r));
    EXPECT_EQ((*condition(cluster(), "Degraded"))["status"], "False");
}

TEST_F(ReconcilerTest, AnInvalidSpecIsReportedAndNotRetried) {
    Json bad = cluster_json(0);
    bad["spec"]["config"] = {{"node.id", "7"}};
    create(bad);
    auto r = reconciler();
    auto outcome = pass(*r);
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
    ASSERT_TRUE(pass(*r));
    EXPECT_EQ(writes(), 0u);
}

TEST_F(ReconcilerTest, PdbUsesPolicyV1beta1WhenPolicyV1IsNotServed) {
    fake_.serve("policy/v1", {});
    create(cluster_json(3));
    auto r = reconciler();
    ASSERT_TRUE(pass(*r));
    EXPECT_TRUE(get(pdb_v1_, "kafka", "events-broker").is_null());
    EXPECT_FALSE(get(pdb_v1beta1_, "kafka", "events-broker").is_null());
}

// A broker pod of the StatefulSet `owner`, Ready, with pod IP 10.0.0.<ordinal + 1>.
Json ready_pod(int ordinal, const std::string& hash, const Json& owner) {
    Json pod = Json{{"apiVersion", "v1"},
                    {"kind", "Pod"},
                    {"metadata",
                     {{"name", "events-broker-" + std::to_string(ordinal)},
                      {"labels",
                       {{"app.kubernetes.io/name", "tributary"},
                        {"app.kubernetes.io/instance", "events"},
                        {"app.kubernetes.io/component", "broker"}}},
                      {"annotations", {{model::kConfigHashAnnotation, hash}}}}},
                    {"status",
                     {{"podIP", "10.0.0." + std::to_string(ordinal + 1)},
                      {"conditions", Json::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
    runtime::set_owner(pod, runtime::owner_ref_of(owner));
    return pod;
}

// A cluster reconciled once whose broker pods are all ready with the current configuration.
class ReadyClusterTest : public ReconcilerTest {
  protected:
    void start_ready(int replicas) {
        create(cluster_json(replicas));
        r_ = reconciler();
        ASSERT_TRUE(pass(*r_));
        Json set = get(sts_, "kafka", "events-broker");
        std::string hash =
            set["spec"]["template"]["metadata"]["annotations"][model::kConfigHashAnnotation];
        for (int i = 0; i < replicas; ++i) {
            ASSERT_TRUE(fake_.create(kube::core_v1("pods"), "kafka", ready_pod(i, hash, set)));
        }
    }

    std::unique_ptr<KafkaClusterReconciler> r_;
};

// Five brokers whose pods are ready; the tests then ask for three.
class ScaleDownTest : public ReadyClusterTest {
  protected:
    void SetUp() override {
        ReconcilerTest::SetUp();
        start_ready(5);
        Json c = cluster();
        c["spec"]["replicas"] = 3;
        ASSERT_TRUE(fake_.update(kafka_clusters_gvr(), "kafka", c));
    }

    std::string ready_reason() { return (*condition(cluster(), "Ready"))["reason"]; }
    std::string ready_message() { return (*condition(cluster(), "Ready"))["message"]; }
    int stateful_set_replicas() { return get(sts_, "kafka", "events-broker")["spec"]["replicas"]; }
};

TEST_F(ScaleDownTest, WaitsWhileARemovedBrokerHoldsReplicasThenProceeds) {
    holders_->counts = {{0, 6}, {1, 6}, {2, 5}, {3, 2}, {4, 1}};
    auto outcome = pass(*r_);
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome.value().kind, runtime::Outcome::Kind::RequeueAfter);
    EXPECT_EQ(stateful_set_replicas(), 5);
    EXPECT_EQ(holders_->asked,
              (std::vector<std::string>{"10.0.0.1:9092", "10.0.0.2:9092", "10.0.0.3:9092",
                                        "10.0.0.4:9092", "10.0.0.5:9092"}));
    EXPECT_EQ(ready_reason(), kReasonScaleDownBlocked);
    EXPECT_EQ(ready_message(),
              "scaling from 5 to 3 brokers waits: brokers it would remove still hold partition "
              "replicas: 3 (2 replicas), 4 (1 replica); nothing moves replicas off a broker yet, "
              "so delete the topics they hold replicas of or keep spec.replicas at 5");
    EXPECT_EQ((*condition(cluster(), "Degraded"))["status"], "True");
    EXPECT_EQ(events(kReasonScaleDownBlocked).size(), 1u);

    // Their topics deleted: the next pass scales down.
    holders_->counts = {{0, 3}, {1, 3}, {2, 3}};
    ASSERT_TRUE(pass(*r_));
    EXPECT_EQ(stateful_set_replicas(), 3);
    EXPECT_NE(ready_reason(), kReasonScaleDownBlocked);
    EXPECT_EQ((*condition(cluster(), "Degraded"))["status"], "False");
}

TEST_F(ScaleDownTest, BrokersThatCannotTellKeepTheScaleDownWaiting) {
    holders_->error = kafka_admin::Errc::Timeout;
    ASSERT_TRUE(pass(*r_));
    EXPECT_EQ(stateful_set_replicas(), 5);
    EXPECT_EQ(ready_reason(), kReasonScaleDownBlocked);
    EXPECT_EQ(ready_message().rfind("scaling from 5 to 3 brokers waits: no broker told whether "
                                    "brokers 3-4 hold partition replicas (",
                                    0),
              0u)
        << ready_message();

    // No ready pod to ask at all.
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(
            fake_.remove(kube::core_v1("pods"), "kafka", "events-broker-" + std::to_string(i), {}));
    }
    ASSERT_TRUE(pass(*r_));
    EXPECT_EQ(stateful_set_replicas(), 5);
    EXPECT_EQ(ready_message(),
              "scaling from 5 to 3 brokers waits: no ready broker answers on a plaintext internal "
              "listener to tell whether brokers 3-4 hold partition replicas");
}

TEST_F(ScaleDownTest, RemovedBrokersWithoutReplicasGoAtOnce) {
    holders_->counts = {{0, 4}, {1, 4}, {2, 4}, {3, 0}};
    ASSERT_TRUE(pass(*r_));
    EXPECT_EQ(stateful_set_replicas(), 3);
}

TEST_F(ReconcilerTest, StatusBecomesReadyWhenEveryBrokerIsReadyWithTheCurrentConfig) {
    create(cluster_json(3));
    auto r = reconciler();
    ASSERT_TRUE(pass(*r));
    Json set = get(sts_, "kafka", "events-broker");
    std::string hash =
        set["spec"]["template"]["metadata"]["annotations"][model::kConfigHashAnnotation];
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(
            fake_.create(kube::core_v1("pods"), "kafka", ready_pod(i, i == 2 ? "old" : hash, set)));
    }
    ASSERT_TRUE(pass(*r));
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
    ASSERT_TRUE(fake_.create(kube::core_v1("pods"), "kafka", ready_pod(2, hash, set)));
    auto outcome = pass(*r);
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
    ASSERT_TRUE(pass(*r));
    EXPECT_EQ(writes(), 0u);
}

TEST_F(ReconcilerTest, DeletionRemovesClusterScopedRbacAndClaimsThenReleasesTheFinalizer) {
    create(cluster_json(3));
    auto r = reconciler();
    ASSERT_TRUE(pass(*r));
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
    ASSERT_TRUE(pass(*r));
    EXPECT_TRUE(cluster().is_null());
    EXPECT_TRUE(get(cluster_roles_, "", "tributary-broker-kafka-events").is_null());
    EXPECT_TRUE(
        get(kube::core_v1("persistentvolumeclaims"), "kafka", "data-events-broker-0").is_null());
}

TEST_F(ReconcilerTest, AMissingClusterIsDone) {
    auto r = reconciler();
    auto outcome = pass(*r, "nothing");
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome.value().kind, runtime::Outcome::Kind::Done);
}

TEST_F(ReconcilerTest, ReadsComeFromTheCachesAndDiscoveryIsAskedOnce) {
    create(cluster_json(3));
    auto r = reconciler();
    ASSERT_TRUE(pass(*r));
    ASSERT_TRUE(pass(*r));
    counting_.reads = 0;
    ASSERT_TRUE(pass(*r));
    EXPECT_EQ(counting_.reads, 0);
    EXPECT_EQ(discovery_->lookups(), 1);
}

TEST_F(ReconcilerTest, APdbNotFoundMakesDiscoveryAskAgain) {
    create(cluster_json(3));
    auto r = reconciler();
    ASSERT_TRUE(pass(*r));
    ASSERT_TRUE(fake_.remove(pdb_v1_, "kafka", "events-broker"));
    fake_.serve("policy/v1", {});
    fake_.fail_next("create", kube::Errc::NotFound);  // the server no longer serves policy/v1
    EXPECT_FALSE(pass(*r));
    ASSERT_TRUE(pass(*r));
    EXPECT_EQ(discovery_->lookups(), 2);
    EXPECT_FALSE(get(pdb_v1beta1_, "kafka", "events-broker").is_null());
}

class ClusterIdTest : public ReadyClusterTest {
  protected:
    void SetUp() override {
        ReconcilerTest::SetUp();
        start_ready(3);
    }
};

TEST_F(ClusterIdTest, TheClusterIdIsReadFromReadyBrokersOnTheirPlaintextListener) {
    ids_->id = "c-42";
    auto outcome = pass(*r_);
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome.value().kind, runtime::Outcome::Kind::Done);
    EXPECT_EQ(cluster()["status"]["clusterId"], "c-42");
    EXPECT_EQ(ids_->asked,
              (std::vector<std::string>{"10.0.0.1:9092", "10.0.0.2:9092", "10.0.0.3:9092"}));
    EXPECT_EQ((*condition(cluster(), "Ready"))["message"], "all brokers are ready");
    fake_.clear_actions();
    ASSERT_TRUE(pass(*r_));
    EXPECT_EQ(writes(), 0u);
}

TEST_F(ClusterIdTest, TheClusterIdIsKeptWhenNoBrokerAnswersAndReadySaysWhy) {
    ids_->id = "c-42";
    ASSERT_TRUE(pass(*r_));
    ids_->id = "";
    ids_->error = kafka_admin::Errc::ConnectionRefused;
    auto outcome = pass(*r_);
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome.value().kind, runtime::Outcome::Kind::RequeueAfter);
    Json c = cluster();
    EXPECT_EQ(c["status"]["clusterId"], "c-42");
    EXPECT_EQ((*condition(c, "Ready"))["status"], "True");
    std::string message = (*condition(c, "Ready"))["message"];
    EXPECT_NE(message.find("connection refused"), std::string::npos) << message;
    EXPECT_EQ((*condition(c, "Degraded"))["status"], "False");
    fake_.clear_actions();
    ASSERT_TRUE(pass(*r_));
    EXPECT_EQ(writes(), 0u);
}

TEST_F(ClusterIdTest, AnotherClusterIdIsAWarningEventAndNotAnOverwrite) {
    ids_->id = "c-42";
    ASSERT_TRUE(pass(*r_));
    ids_->id = "c-other";
    ASSERT_TRUE(pass(*r_));
    Json c = cluster();
    EXPECT_EQ(c["status"]["clusterId"], "c-42");
    EXPECT_EQ((*condition(c, "Ready"))["status"], "True");
    EXPECT_EQ((*condition(c, "Degraded"))["status"], "True");
    EXPECT_EQ((*condition(c, "Degraded"))["reason"], kReasonClusterIdMismatch);
    auto warnings = events(kReasonClusterIdMismatch);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0]["type"], "Warning");
    std::string note = warnings[0]["message"];
    EXPECT_NE(note.find("c-other"), std::string::npos) << note;
    fake_.clear_actions();
    ASSERT_TRUE(pass(*r_));
    EXPECT_EQ(writes(), 0u);
}

TEST_F(ReconcilerTest, NoReadyBrokerMeansNoClusterIdRequest) {
    create(cluster_json(3));
    auto r = reconciler();
    ids_->id = "c-42";
    ASSERT_TRUE(pass(*r));
    ASSERT_TRUE(pass(*r));
    EXPECT_EQ(ids_->calls, 0);
    EXPECT_FALSE(cluster()["status"].contains("clusterId"));
}

TEST(BrokerAddressesTest, UsesTheFirstPlaintextInternalListenerOfReadyPodsWithAnIp) {
    api::v1alpha1::KafkaCluster c;
    c.spec.listeners = {{"secure", 9093, "internal", true, ""},
                        {"sasl", 9094, "internal", false, "scram-sha-512"},
                        {"plain", 9092, "internal", false, ""}};
    Json ready = {{"status",
                   {{"podIP", "fd00::7"},
                    {"conditions", Json::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
    Json no_ip = ready;
    no_ip["status"].erase("podIP");
    Json not_ready = ready;
    not_ready["status"]["conditions"][0]["status"] = "False";
    EXPECT_EQ(broker_addresses(c, {ready, no_ip, not_ready}),
              std::vector<std::string>{"[fd00::7]:9092"});
    c.spec.listeners.pop_back();
    EXPECT_TRUE(broker_addresses(c, {ready}).empty());
}

TEST(DiscoveryCacheTest, AsksAgainOnlyAfterTheTtlOrAnInvalidation) {
    kube::FakeKubeClient fake;
    fake.serve("policy/v1", {{"poddisruptionbudgets", "PodDisruptionBudget", true}});
    auto now = DiscoveryCache::Clock::time_point{};
    DiscoveryCache d(fake, std::chrono::minutes(10), [&] { return now; });
    EXPECT_TRUE(d.policy_v1().value());
    now += std::chrono::minutes(9);
    EXPECT_TRUE(d.policy_v1().value());
    EXPECT_EQ(d.lookups(), 1);
    fake.serve("policy/v1", {});
    now += std::chrono::minutes(2);
    EXPECT_FALSE(d.policy_v1().value());
    EXPECT_EQ(d.lookups(), 2);
    fake.serve("policy/v1", {{"poddisruptionbudgets", "PodDisruptionBudget", true}});
    d.invalidate();
    EXPECT_TRUE(d.policy_v1().value());
    EXPECT_EQ(d.lookups(), 3);
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
