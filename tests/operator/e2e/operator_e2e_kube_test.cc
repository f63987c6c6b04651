// The real tributary-operator binary (started with --kubeconfig) against a real kube-apiserver
// v1.20 + kube-controller-manager (label kube): CRDs and a KafkaCluster applied with kubectl,
// owned objects created with ownerReferences, spec changes followed, a restart with nothing
// changed makes no write, an invalid spec is reported without a crash, deletion garbage-collects
// everything owned, a change after an etcd compaction is still reconciled, and cut
// watches are resumed.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "operator/kafka_admin/kafka_admin_client.h"
#include "operator/kube/kube_client.h"
#include "tests/operator/kafka_admin/broker_process.h"
#include "tests/operator/kube/control_plane.h"
#include "tests/operator/kube/eventually.h"

namespace kop {
namespace {

using nlohmann::json;
using testing::eventually;
using testing::KubeEnvironment;

const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new testing::KubeEnvironment);

const kube::Gvr kClusters{"tributary.io", "v1alpha1", "kafkaclusters"};
const kube::Gvr kStatefulSets{"apps", "v1", "statefulsets"};
const kube::Gvr kPdbs{"policy", "v1beta1", "poddisruptionbudgets"};
const kube::Gvr kNetworkPolicies{"networking.k8s.io", "v1", "networkpolicies"};
const kube::Gvr kRoles{"rbac.authorization.k8s.io", "v1", "roles"};
const kube::Gvr kRoleBindings{"rbac.authorization.k8s.io", "v1", "rolebindings"};
const kube::Gvr kClusterRoles{"rbac.authorization.k8s.io", "v1", "clusterroles", false};

// Every namespaced type the operator may own.
std::vector<kube::Gvr> owned_types() {
    return {kube::core_v1("configmaps"),
            kube::core_v1("services"),
            kube::core_v1("serviceaccounts"),
            kStatefulSets,
            kPdbs,
            kNetworkPolicies,
            kRoles,
            kRoleBindings};
}

std::string env_or(const char* key, const std::string& fallback) {
    const char* v = std::getenv(key);
    return v != nullptr ? v : fallback;
}

std::string source_dir() {
    return env_or("TRIBUTARY_SOURCE_DIR", ".");
}

std::string operator_binary() {
    return env_or("TRIBUTARY_OPERATOR_BIN",
                  env_or("TRIBUTARY_BUILD_DIR", ".") + "/operator/tributary-operator");
}

// Runs kubectl (v1.32 from e2e/control-plane/tools.sh) with the control plane's kubeconfig.
bool kubectl(const std::string& args) {
    std::string cmd = "set -e; bin=$(" + source_dir() +
                      "/e2e/control-plane/tools.sh | tail -n1); \"$bin/kubectl\" --kubeconfig " +
                      KubeEnvironment::plane().kubeconfig() + " " + args + " >/dev/null";
    std::string quoted;
    for (char c : cmd) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return std::system(("bash -c '" + quoted + "'").c_str()) == 0;
}

// A loopback port that was free a moment ago (the operator binds it right after).
int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    int port = -1;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
        port = ntohs(addr.sin_port);
    }
    close(fd);
    return port;
}

// The body of GET http://127.0.0.1:PORT/PATH, or "" when it cannot be read.
std::string http_get(int port, const std::string& path) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    std::string out;
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        std::string req = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
        if (write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size())) {
            char buf[4096];
            ssize_t n = 0;
            while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
        }
    }
    close(fd);
    auto body = out.find("\r\n\r\n");
    if (out.rfind("HTTP/1.", 0) != 0 || out.find(" 200 ") == std::string::npos) return "";
    return body == std::string::npos ? "" : out.substr(body + 4);
}

// Reconciles that finished without error, summed over the operator's controllers.
double completed_reconciles(int metrics_port) {
    std::istringstream in(http_get(metrics_port, "/metrics"));
    std::string line;
    double total = 0;
    while (std::getline(in, line)) {
        if (line.rfind("tributary_operator_reconcile_total{", 0) != 0) continue;
        if (line.find("result=\"error\"") != std::string::npos) continue;
        total += std::strtod(line.substr(line.rfind(' ') + 1).c_str(), nullptr);
    }
    return total;
}

// extra_config: more lines under spec.config (indented by four spaces).
std::string cluster_yaml(const std::string& ns, const std::string& retention,
                         const std::string& extra_config = "") {
    return "apiVersion: tributary.io/v1alpha1\n"
           "kind: KafkaCluster\n"
           "metadata:\n"
           "  name: events\n"
           "  namespace: " +
           ns +
           "\n"
           "spec:\n"
           "  replicas: 3\n"
           "  resources:\n"
           "    requests: {cpu: 500m, memory: 1Gi}\n"
           "  storage: {type: persistent-claim, size: 10Gi, deleteClaim: true}\n"
           "  rack: {topologyKey: topology.kubernetes.io/zone}\n"
           "  listeners:\n"
           "    - {name: plain, port: 9092}\n"
           "  config:\n"
           "    log.retention.ms: " +
           retention + "\n" + extra_config + "  metrics: {enabled: true}\n";
}

const json* find_condition(const json& object, const std::string& type) {
    if (!object.is_object() || !object.contains("status")) return nullptr;
    const json& status = object["status"];
    if (!status.is_object() || !status.contains("conditions")) return nullptr;
    const json& conditions = status["conditions"];
    if (!conditions.is_array()) return nullptr;
    for (const auto& c : conditions) {
        if (c.value("type", "") == type) return &c;
    }
    return nullptr;
}

class OperatorE2eTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        installed_ = kubectl("apply -f " + source_dir() + "/manifests/") &&
                     kubectl(
                         "wait --for condition=established --timeout=60s"
                         " crd/kafkaclusters.tributary.io crd/kafkatopics.tributary.io"
                         " crd/kafkausers.tributary.io");
    }
    void SetUp() override {
        ASSERT_TRUE(installed_) << "kubectl apply -f manifests/ failed";
        client_ = KubeEnvironment::plane().client();
        ASSERT_NE(client_, nullptr);
        ns_ = testing::create_namespace(*client_, "e2e");
        dir_ = KubeEnvironment::plane().dir() + "/" + ns_;
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override {
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        if (HasFailure()) {
            std::ifstream log(log_path_);
            std::cerr << "--- operator log (" << log_path_ << ") ---\n" << log.rdbuf() << "\n";
        }
    }

    // Starts the operator watching this test's namespace; stdout/stderr go to a log file.
    void start_operator() {
        metrics_port_ = free_port();
        health_port_ = free_port();
        log_path_ = dir_ + "/operator-" + std::to_string(++starts_) + ".log";
        std::vector<std::string> args = {
            operator_binary(),
            "--kubeconfig=" + KubeEnvironment::plane().kubeconfig(),
            "--namespaces=" + ns_,
            "--metrics-addr=127.0.0.1:" + std::to_string(metrics_port_),
            "--health-addr=127.0.0.1:" + std::to_string(health_port_),
            "--log-level=debug"};
        pid_ = fork();
        if (pid_ == 0) {
            int fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            dup2(fd, 1);
            dup2(fd, 2);
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            execv(argv[0], argv.data());
            _exit(127);
        }
        ASSERT_GT(pid_, 0);
        ASSERT_TRUE(eventually([&] { return http_get(health_port_, "/readyz") == "ok"; }))
            << "the operator never became ready";
    }
    // SIGTERM and wait; returns the exit code (-1 when killed by a signal).
    int stop_operator() {
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    bool operator_alive() { return pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0; }
    // Aborts every TCP connection of the operator process to the apiserver (ss -K), as a broken
    // network would; returns how many were aborted.
    int abort_operator_connections() {
        std::string api = KubeEnvironment::plane().env("APISERVER");
        std::string port = api.substr(api.rfind(':') + 1);
        std::string cmd = "n=0; for lp in $(ss -tnpH state established \"dport = :" + port +
                          "\" | grep \"pid=" + std::to_string(pid_) +
                          ",\" | awk \"{print \\$3}\" | sed \"s/.*://\"); do"
                          " ss -K -tn state established \"dport = :" +
                          port + "\" \"sport = :$lp\" >/dev/null && n=$((n+1)); done; echo $n";
        FILE* p = popen(cmd.c_str(), "r");
        if (p == nullptr) return 0;
        char buf[32] = {};
        size_t got = fread(buf, 1, sizeof buf - 1, p);
        pclose(p);
        return got > 0 ? std::atoi(buf) : 0;
    }
    std::string operator_log() {
        std::ifstream in(log_path_);
        std::stringstream out;
        out << in.rdbuf();
        return out.str();
    }

    bool apply_cluster(const std::string& retention) {
        std::string path = dir_ + "/cluster.yaml";
        std::ofstream(path) << cluster_yaml(ns_, retention);
        return kubectl("apply -f " + path);
    }
    json cluster() {
        auto got = client_->get(kClusters, ns_, "events");
        return got ? got.value() : json();
    }
    std::string uid() { return cluster().is_null() ? "" : cluster()["metadata"].value("uid", ""); }
    json statefulset() {
        auto got = client_->get(kStatefulSets, ns_, "events-broker");
        return got ? got.value() : json();
    }
    size_t pod_count() {
        kube::ListOptions opts;
        opts.label_selector = "app.kubernetes.io/instance=events";
        auto pods = client_->list(kube::core_v1("pods"), ns_, opts);
        return pods ? pods.value()["items"].size() : 0;
    }
    bool status_follows_generation() {
        json c = cluster();
        return !c.is_null() && c.contains("status") &&
               c["status"].value("observedGeneration", -1) == c["metadata"].value("generation", -2);
    }

    // kind/name -> resourceVersion of every object in the namespace owned by the cluster with
    // this UID (ownerReference with controller: true).
    std::map<std::string, std::string> owned(const std::string& owner_uid) {
        std::map<std::string, std::string> out;
        for (const auto& gvr : owned_types()) {
            auto list = client_->list(gvr, ns_, {});
            if (!list) {
                out["list-failed/" + gvr.resource] = list.error().message();
                continue;
            }
            for (const auto& item : list.value()["items"]) {
                for (const auto& ref : item["metadata"].value("ownerReferences", json::array())) {
                    if (ref.value("uid", "") == owner_uid && ref.value("controller", false) &&
                        ref.value("kind", "") == "KafkaCluster") {
                        out[gvr.resource + "/" + item["metadata"].value("name", "")] =
                            item["metadata"].value("resourceVersion", "");
                    }
                }
            }
        }
        return out;
    }

    // Applies the cluster and waits until its objects and 3 pods exist and status is current.
    void create_reconciled_cluster() {
        ASSERT_TRUE(apply_cluster("3600000"));
        ASSERT_TRUE(eventually([&] { return !statefulset().is_null(); }))
            << "no StatefulSet: " << cluster().dump();
        ASSERT_TRUE(eventually([&] { return pod_count() == 3; }));
        ASSERT_TRUE(eventually([&] { return status_follows_generation(); })) << cluster().dump();
    }

    static inline bool installed_ = false;
    std::unique_ptr<kube::HttpKubeClient> client_;
    std::string ns_;
    std::string dir_;
    std::string log_path_;
    pid_t pid_ = -1;
    int starts_ = 0;
    int metrics_port_ = -1;
    int health_port_ = -1;
};

TEST_F(OperatorE2eTest, CreatesOwnedObjectsAndFollowsSpecChanges) {
    start_operator();
    create_reconciled_cluster();
    const std::string owner = uid();
    auto objects = owned(owner);
    for (const char* expected :
         {"configmaps/events-broker-config", "services/events-brokers", "services/events-bootstrap",
          "serviceaccounts/events-broker", "statefulsets/events-broker",
          "poddisruptionbudgets/events-broker", "networkpolicies/events-broker",
          "roles/events-broker", "rolebindings/events-broker"}) {
        EXPECT_TRUE(objects.count(expected))
            << expected << " missing or not owned; owned: " << json(objects).dump();
    }
    // Persistent claims: kube-controller-manager creates one per broker from the template.
    ASSERT_TRUE(eventually([&] {
        auto pvcs = client_->list(kube::core_v1("persistentvolumeclaims"), ns_, {});
        return pvcs && pvcs.value()["items"].size() == 3;
    }));
    json sts = statefulset();
    EXPECT_EQ(sts["spec"]["replicas"], 3);
    EXPECT_NE(sts["spec"]["template"]["spec"].dump().find("topology.kubernetes.io/zone"),
              std::string::npos);
    json c = cluster();
    for (const char* type : {"Ready", "Reconciling", "Degraded"}) {
        const json* cond = find_condition(c, type);
        ASSERT_NE(cond, nullptr) << type << " missing: " << c["status"].dump();
        EXPECT_FALSE(cond->value("reason", "").empty()) << cond->dump();
        EXPECT_FALSE(cond->value("message", "").empty()) << cond->dump();
        EXPECT_EQ((*cond)["observedGeneration"], c["metadata"]["generation"]);
    }
    EXPECT_EQ((*find_condition(c, "Ready"))["status"], "False");  // no kubelet: pods Pending
    EXPECT_EQ((*find_condition(c, "Degraded"))["status"], "False");

    // A config override: the ConfigMap and the pod template's config hash follow.
    const std::string hash =
        sts["spec"]["template"]["metadata"]["annotations"].value("tributary.io/config-hash", "");
    ASSERT_FALSE(hash.empty());
    const int64_t generation = c["metadata"]["generation"];
    ASSERT_TRUE(apply_cluster("7200000"));
    ASSERT_TRUE(eventually([&] {
        auto cm = client_->get(kube::core_v1("configmaps"), ns_, "events-broker-config");
        return cm &&
               cm.value()["data"].dump().find("log.retention.ms=7200000") != std::string::npos;
    }));
    ASSERT_TRUE(eventually([&] {
        return statefulset()["spec"]["template"]["metadata"]["annotations"].value(
                   "tributary.io/config-hash", "") != hash;
    }));
    ASSERT_TRUE(eventually([&] { return status_follows_generation(); }));
    EXPECT_GT(cluster()["metadata"].value("generation", 0), generation);

    // An image change reaches the StatefulSet's broker container.
    ASSERT_TRUE(client_->patch(kClusters, ns_, "events", kube::PatchType::Merge,
                               {{"spec", {{"image", "registry.example/tributary-broker:9.9.9"}}}},
                               ""));
    ASSERT_TRUE(eventually([&] {
        return statefulset()["spec"]["template"]["spec"]["containers"].dump().find(
                   "registry.example/tributary-broker:9.9.9") != std::string::npos;
    }));
    ASSERT_TRUE(eventually([&] { return status_follows_generation(); }));
    EXPECT_TRUE(operator_alive());
}

TEST_F(OperatorE2eTest, ARestartWithNothingChangedWritesNothing) {
    start_operator();
    create_reconciled_cluster();
    ASSERT_TRUE(eventually(
        [&] { return statefulset().value("status", json::object()).value("replicas", 0) == 3; }));
    // One more completed pass after all pods exist, so status has seen them.
    double passes = completed_reconciles(metrics_port_);
    ASSERT_TRUE(eventually([&] { return completed_reconciles(metrics_port_) > passes; }));
    ASSERT_EQ(stop_operator(), 0);

    const std::string owner = uid();
    const std::string cluster_version = cluster()["metadata"].value("resourceVersion", "");
    auto before = owned(owner);
    ASSERT_GE(before.size(), 9u) << json(before).dump();

    start_operator();
    ASSERT_TRUE(eventually([&] { return completed_reconciles(metrics_port_) >= 1; }))
        << "the restarted operator never reconciled";
    EXPECT_EQ(cluster()["metadata"].value("resourceVersion", ""), cluster_version)
        << cluster().dump();
    EXPECT_EQ(json(owned(owner)), json(before));
}

TEST_F(OperatorE2eTest, AnInvalidSpecIsReportedAndTheOperatorKeepsRunning) {
    start_operator();
    std::string path = dir_ + "/invalid.yaml";
    std::ofstream(path) << cluster_yaml(ns_, "3600000", "    node.id: 7\n");
    ASSERT_TRUE(kubectl("apply -f " + path));
    ASSERT_TRUE(eventually([&] {
        json now = cluster();
        const json* ready = find_condition(now, "Ready");
        return ready != nullptr && ready->value("reason", "") == "InvalidSpec";
    })) << cluster().dump();
    json c = cluster();
    const json& ready = *find_condition(c, "Ready");
    EXPECT_EQ(ready["status"], "False");
    EXPECT_NE(ready.value("message", "").find("node.id"), std::string::npos) << ready.dump();
    EXPECT_EQ((*find_condition(c, "Degraded"))["status"], "True");
    EXPECT_TRUE(statefulset().is_null()) << "an invalid spec must not be rendered";
    EXPECT_TRUE(operator_alive());
    EXPECT_EQ(http_get(health_port_, "/healthz"), "ok");

    // Fixing the spec is picked up: the generation changed, so the terminal outcome ends.
    ASSERT_TRUE(apply_cluster("3600000"));
    ASSERT_TRUE(eventually([&] { return !statefulset().is_null(); })) << cluster().dump();
    ASSERT_TRUE(eventually([&] {
        json now = cluster();
        const json* r = find_condition(now, "Ready");
        return r != nullptr && r->value("reason", "") != "InvalidSpec";
    }));
    EXPECT_TRUE(operator_alive());
}

TEST_F(OperatorE2eTest, DeletingTheClusterCollectsEverythingItOwned) {
    start_operator();
    create_reconciled_cluster();
    const std::string owner = uid();
    ASSERT_FALSE(owned(owner).empty());
    ASSERT_TRUE(client_->get(kClusterRoles, "", "tributary-broker-" + ns_ + "-events"));
    ASSERT_TRUE(eventually([&] {
        auto pvcs = client_->list(kube::core_v1("persistentvolumeclaims"), ns_, {});
        return pvcs && pvcs.value()["items"].size() == 3;
    }));

    ASSERT_TRUE(kubectl("delete kafkacluster events -n " + ns_ + " --wait=false"));
    ASSERT_TRUE(eventually([&] { return cluster().is_null(); })) << cluster().dump();
    EXPECT_FALSE(client_->get(kClusterRoles, "", "tributary-broker-" + ns_ + "-events"));
    EXPECT_TRUE(eventually([&] { return owned(owner).empty(); })) << json(owned(owner)).dump();
    EXPECT_TRUE(eventually([&] { return pod_count() == 0; }));
    // deleteClaim: true, so the finalizer removed the claims.
    EXPECT_TRUE(eventually([&] {
        auto pvcs = client_->list(kube::core_v1("persistentvolumeclaims"), ns_, {});
        return pvcs && pvcs.value()["items"].empty();
    }));
    EXPECT_TRUE(operator_alive());
}

// The apiserver's watch cache serves these types, so a compaction does not end the operator's
// open watches; the 410 Gone relist path itself is covered by kop_kube_api_test (podtemplates,
// served without a watch cache). This checks the operator keeps working across a compaction.
TEST_F(OperatorE2eTest, AChangeAfterAnEtcdCompactionIsStillReconciled) {
    start_operator();
    create_reconciled_cluster();
    ASSERT_TRUE(KubeEnvironment::plane().compact_etcd());
    ASSERT_TRUE(apply_cluster("5400000"));
    EXPECT_TRUE(eventually([&] {
        auto cm = client_->get(kube::core_v1("configmaps"), ns_, "events-broker-config");
        return cm &&
               cm.value()["data"].dump().find("log.retention.ms=5400000") != std::string::npos;
    }));
    EXPECT_TRUE(eventually([&] { return status_follows_generation(); }));
    EXPECT_TRUE(operator_alive());
}

// An invalid spec is terminal (no periodic requeue), so after its watches are cut only a resumed
// watch can tell the operator that the spec was fixed.
TEST_F(OperatorE2eTest, AfterItsWatchesAreCutTheOperatorResumesAndSeesLaterChanges) {
    start_operator();
    std::string path = dir_ + "/invalid.yaml";
    std::ofstream(path) << cluster_yaml(ns_, "3600000", "    node.id: 7\n");
    ASSERT_TRUE(kubectl("apply -f " + path));
    ASSERT_TRUE(eventually([&] {
        json now = cluster();
        const json* ready = find_condition(now, "Ready");
        return ready != nullptr && ready->value("reason", "") == "InvalidSpec";
    })) << cluster().dump();

    ASSERT_GT(abort_operator_connections(), 0)
        << "ss -K (iproute2, root or CAP_NET_ADMIN) aborted none of the operator's connections";
    ASSERT_TRUE(eventually([&] {
        return operator_log().find("kafkaclusters " + ns_ + ":") != std::string::npos;
    })) << "the operator did not notice its watch ended";
    ASSERT_TRUE(KubeEnvironment::plane().compact_etcd());
    ASSERT_TRUE(apply_cluster("3600000"));
    EXPECT_TRUE(eventually([&] { return !statefulset().is_null(); })) << cluster().dump();
    EXPECT_TRUE(eventually([&] { return status_follows_generation(); }));
    EXPECT_TRUE(operator_alive());
}

// The test plays kubelet for the one broker pod: it runs a real broker on a private loopback
// address and reports the pod Running and Ready with that address as podIP.
TEST_F(OperatorE2eTest, TheClusterIdIsTheOneTheBrokerOnThePodIpReports) {
    testing::BrokerProcess broker;
    ASSERT_TRUE(broker.start("e2e-cluster-id-" + ns_));
    start_operator();
    std::string path = dir_ + "/one-broker.yaml";
    std::ofstream(path) << "apiVersion: tributary.io/v1alpha1\n"
                           "kind: KafkaCluster\n"
                           "metadata: {name: events, namespace: "
                        << ns_
                        << "}\n"
                           "spec:\n"
                           "  replicas: 1\n"
                           "  storage: {type: ephemeral, size: 1Gi}\n"
                           "  listeners:\n"
                           "    - {name: plain, port: "
                        << broker.port() << "}\n";
    ASSERT_TRUE(kubectl("apply -f " + path));
    ASSERT_TRUE(eventually([&] { return pod_count() == 1; })) << cluster().dump();
    json running = {{"status",
                     {{"phase", "Running"},
                      {"podIP", broker.host()},
                      {"podIPs", json::array({{{"ip", broker.host()}}})},
                      {"conditions", json::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
    auto patched = client_->patch(kube::core_v1("pods"), ns_, "events-broker-0",
                                  kube::PatchType::Merge, running, "status");
    ASSERT_TRUE(patched) << patched.error().message();

    auto admin = kafka_admin::KafkaAdminClient::connect({broker.bootstrap()});
    ASSERT_TRUE(admin) << admin.error().message();
    auto reported = admin.value()->describe_cluster();
    ASSERT_TRUE(reported) << reported.error().message();
    ASSERT_FALSE(reported.value().cluster_id.empty());
    EXPECT_TRUE(eventually([&] {
        json c = cluster();
        return c.contains("status") &&
               c["status"].value("clusterId", "") == reported.value().cluster_id;
    })) << cluster().dump();
    json c = cluster();
    const json* ready = find_condition(c, "Ready");
    ASSERT_NE(ready, nullptr);
    EXPECT_EQ(ready->value("status", ""), "True") << c.dump();
}

}  // namespace
}  // namespace kop
