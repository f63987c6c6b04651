// The operator's brokers really run (label kube): a real kube-apiserver v1.20 +
// kube-controller-manager, the project's node agent (tests/e2e/node_agent_fixture.h) with nodes
// in zones a, b and c, the real tributary-operator binary, and a 3-broker rack-aware
// KafkaCluster. The StatefulSet's pods run broker-init and the real tributary-broker as
// processes: each broker answers Kafka on its pod IP, reports the zone of its node as its rack,
// the pods become Ready and so does the KafkaCluster. A deleted broker pod is stopped
// gracefully, recreated by the StatefulSet controller, and comes back Ready with its data. A
// scale-down from four brokers waits while the removed broker holds replicas. Last,
// manifests/ applied as is runs the operator itself as a pod that makes its brokers Ready.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/cluster_id.h"
#include "common/protocol/messages/create_topics.h"
#include "common/protocol/messages/delete_topics.h"
#include "operator/kafka_admin/kafka_admin_client.h"
#include "operator/kube/kube_client.h"
#include "tests/e2e/node_agent_fixture.h"
#include "tests/operator/kube/control_plane.h"
#include "tests/operator/kube/eventually.h"

namespace kop {
namespace {

namespace proto = common::protocol;
using nlohmann::json;
using testing::eventually;
using testing::KubeEnvironment;

const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new testing::KubeEnvironment);

const kube::Gvr kClusters{"tributary.io", "v1alpha1", "kafkaclusters"};
constexpr int kKafkaPort = 9092;
constexpr auto kStartDeadline = std::chrono::seconds(240);

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

bool kubectl(const std::string& args) {
    std::string cmd = "set -e; bin=$(" + source_dir() +
                      "/e2e/control-plane/tools.sh | tail -n1); \"$bin/kubectl\" --kubeconfig " +
                      KubeEnvironment::plane().kubeconfig() + " " + args + " >/dev/null";
    std::string quoted;
    for (char c : cmd) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return std::system(("bash -c '" + quoted + "'").c_str()) == 0;
}

// A Kafka admin connection to one broker's PLAIN listener on its pod IP (nullptr when it does
// not answer).
std::unique_ptr<kafka_admin::KafkaAdminClient> kafka(const std::string& pod_ip) {
    auto client =
        kafka_admin::KafkaAdminClient::connect({pod_ip + ":" + std::to_string(kKafkaPort)});
    return client ? std::move(client).value() : nullptr;
}

// The error code of creating `topic`; -1 when the call failed.
int16_t create_topic(const std::string& pod_ip, const std::string& topic, int32_t partitions = 1,
                     int16_t replication_factor = 1) {
    auto client = kafka(pod_ip);
    if (client == nullptr) return -1;
    proto::CreateTopicsRequest req;
    proto::CreateTopicsRequest::CreatableTopic t;
    t.name = topic;
    t.num_partitions = partitions;
    t.replication_factor = replication_factor;
    req.topics.push_back(t);
    req.timeout_ms = 10000;
    auto resp = client->send<proto::CreateTopicsResponse>(req);
    if (!resp || resp.value().topics.size() != 1) return -1;
    return resp.value().topics[0].error_code;
}

// The error code of deleting `topic`; -1 when the call failed.
int16_t delete_topic(const std::string& pod_ip, const std::string& topic) {
    auto client = kafka(pod_ip);
    if (client == nullptr) return -1;
    proto::DeleteTopicsRequest req;
    req.topic_names = {topic};  // up to v5
    proto::DeleteTopicsRequest::DeleteTopicState state;
    state.name = topic;  // v6
    req.topics.push_back(state);
    req.timeout_ms = 10000;
    auto resp = client->send<proto::DeleteTopicsResponse>(req);
    if (!resp || resp.value().responses.size() != 1) return -1;
    return resp.value().responses[0].error_code;
}

// How many partition replicas broker `broker_id` holds, by Metadata; -1 when the call failed.
int replicas_on(const std::string& pod_ip, int32_t broker_id) {
    auto client = kafka(pod_ip);
    if (client == nullptr) return -1;
    auto md = client->metadata(std::nullopt);
    if (!md) return -1;
    int held = 0;
    for (const auto& topic : md.value().topics) {
        for (const auto& partition : topic.partitions) {
            for (int32_t replica : partition.replica_nodes) held += replica == broker_id;
        }
    }
    return held;
}

// The error code Metadata reports for `topic`; -1 when the call failed.
int16_t topic_error(const std::string& pod_ip, const std::string& topic) {
    auto client = kafka(pod_ip);
    if (client == nullptr) return -1;
    auto md = client->metadata(std::vector<std::string>{topic});
    if (!md || md.value().topics.size() != 1) return -1;
    return md.value().topics[0].error_code;
}

std::string cluster_yaml(const std::string& ns, int replicas = 3) {
    return "apiVersion: tributary.io/v1alpha1\n"
           "kind: KafkaCluster\n"
           "metadata:\n"
           "  name: events\n"
           "  namespace: " +
           ns +
           "\n"
           "spec:\n"
           "  replicas: " +
           std::to_string(replicas) +
           "\n"
           "  storage: {type: persistent-claim, size: 1Gi, deleteClaim: true}\n"
           "  rack: {topologyKey: topology.kubernetes.io/zone}\n"
           "  listeners:\n"
           "    - {name: plain, port: 9092}\n";
}

const json* find_condition(const json& object, const std::string& type) {
    if (!object.contains("status") || !object["status"].contains("conditions")) return nullptr;
    for (const auto& c : object["status"]["conditions"]) {
        if (c.value("type", "") == type) return &c;
    }
    return nullptr;
}

bool pod_ready(const json& pod) {
    if (pod["metadata"].contains("deletionTimestamp")) return false;
    for (const auto& c : pod.value("status", json::object()).value("conditions", json::array())) {
        if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
    }
    return false;
}

class BrokersE2eTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        // crds/ carries CEL rules that v1.20 does not know (manifests/ also holds a Deployment).
        installed_ = kubectl("apply --validate=false -f " + source_dir() + "/crds/") &&
                     kubectl(
                         "wait --for condition=established --timeout=60s"
                         " crd/kafkaclusters.tributary.io crd/kafkatopics.tributary.io"
                         " crd/kafkausers.tributary.io");
    }
    void SetUp() override {
        ASSERT_TRUE(installed_) << "kubectl apply -f crds/ failed";
        client_ = KubeEnvironment::plane().client();
        ASSERT_NE(client_, nullptr);
        ns_ = testing::create_namespace(*client_, "brokers");
        dir_ = KubeEnvironment::plane().dir() + "/" + ns_;
        std::filesystem::create_directories(dir_);
        ASSERT_TRUE(agent_.start(KubeEnvironment::plane().kubeconfig(), dir_,
                                 e2e::testing::three_zone_options()));
    }
    void TearDown() override {
        // The namespace goes while the operator and the agent still run, so no pod of this test
        // is left for the next test's agent (same node names) to run again.
        auto removed = client_->remove(kube::core_v1("namespaces", false), "", ns_);
        EXPECT_TRUE(removed || removed.error() == kube::Errc::NotFound)
            << removed.error().message();
        EXPECT_TRUE(eventually([&] { return pods().empty(); })) << pods_dump();
        if (operator_pid_ > 0) {
            kill(operator_pid_, SIGKILL);
            waitpid(operator_pid_, nullptr, 0);
        }
        int agent_exit = agent_.stop();
        EXPECT_EQ(agent_exit, 0) << "the node agent did not stop cleanly";
        if (HasFailure()) {
            std::ifstream log(dir_ + "/operator.log");
            std::cerr << "--- operator log ---\n" << log.rdbuf() << "\n";
            std::cerr << "--- node agent log ---\n" << agent_.log() << "\n";
            std::cerr << agent_.container_logs() << "\n";
        }
    }

    void start_operator() {
        std::vector<std::string> args = {
            operator_binary(), "--kubeconfig=" + KubeEnvironment::plane().kubeconfig(),
            "--namespaces=" + ns_, "--metrics-addr=127.0.0.1:0", "--health-addr=127.0.0.1:0"};
        std::string log_path = dir_ + "/operator.log";
        operator_pid_ = fork();
        if (operator_pid_ == 0) {
            int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            dup2(fd, 1);
            dup2(fd, 2);
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            execv(argv[0], argv.data());
            _exit(127);
        }
        ASSERT_GT(operator_pid_, 0);
    }

    json cluster() {
        auto got = client_->get(kClusters, ns_, "events");
        return got ? got.value() : json();
    }
    // Broker pods by name.
    std::map<std::string, json> pods() {
        std::map<std::string, json> out;
        kube::ListOptions opts;
        opts.label_selector = "app.kubernetes.io/instance=events";
        auto list = client_->list(kube::core_v1("pods"), ns_, opts);
        if (!list) return out;
        for (const auto& p : list.value()["items"]) out[p["metadata"].value("name", "")] = p;
        return out;
    }
    std::map<std::string, json> ready_pods() {
        std::map<std::string, json> out;
        for (auto& [name, p] : pods()) {
            if (pod_ready(p)) out[name] = p;
        }
        return out;
    }
    std::string zone_of(const json& pod) {
        auto node =
            client_->get(kube::core_v1("nodes", false), "", pod["spec"].value("nodeName", ""));
        if (!node) return "";
        return node.value()["metadata"]["labels"].value("topology.kubernetes.io/zone", "");
    }
    std::string pods_dump() {
        json out = json::object();
        for (auto& [name, p] : pods()) out[name] = p.value("status", json::object());
        return out.dump();
    }

    // Broker pods (not being deleted) that answer Kafka on their pod IP.
    std::map<std::string, json> answering_pods() {
        std::map<std::string, json> out;
        for (auto& [name, p] : pods()) {
            std::string ip = p.value("status", json::object()).value("podIP", "");
            if (p["metadata"].contains("deletionTimestamp") || ip.empty()) continue;
            if (kafka(ip) != nullptr) out[name] = p;
        }
        return out;
    }

    void create_cluster_and_wait_answering(int replicas = 3) {
        std::string path = dir_ + "/cluster.yaml";
        std::ofstream(path) << cluster_yaml(ns_, replicas);
        ASSERT_TRUE(kubectl("apply -f " + path));
        ASSERT_TRUE(
            eventually([&] { return answering_pods().size() == size_t(replicas); }, kStartDeadline))
            << "the brokers never all answered Kafka on their pod IPs: " << pods_dump();
    }

    static inline bool installed_ = false;
    std::unique_ptr<kube::HttpKubeClient> client_;
    std::string ns_;
    std::string dir_;
    e2e::testing::NodeAgent agent_;
    pid_t operator_pid_ = -1;
};

TEST_F(BrokersE2eTest, ThreeRackAwareBrokersServeOnTheirPodIpsAndTheClusterBecomesReady) {
    start_operator();
    create_cluster_and_wait_answering();
    std::set<std::string> zones;
    for (const auto& [name, pod] : answering_pods()) {
        const std::string ip = pod["status"].value("podIP", "");
        const std::string zone = zone_of(pod);
        zones.insert(zone);
        auto client = kafka(ip);
        ASSERT_NE(client, nullptr) << name << " stopped answering on " << ip;
        auto cluster_info = client->describe_cluster();
        ASSERT_TRUE(cluster_info) << name << ": " << cluster_info.error().message();
        const int32_t ordinal = std::stoi(name.substr(name.rfind('-') + 1));
        bool found = false;
        for (const auto& b : cluster_info.value().brokers) {
            if (b.id != ordinal) continue;
            found = true;
            EXPECT_EQ(b.rack.value_or("<null>"), zone) << name << " runs on a node in " << zone;
        }
        EXPECT_TRUE(found) << name << " (broker " << ordinal << ") does not describe itself";
    }
    EXPECT_EQ(zones, (std::set<std::string>{"a", "b", "c"}));

    ASSERT_TRUE(eventually([&] { return ready_pods().size() == 3; }, kStartDeadline))
        << "broker pods never all became Ready: " << pods_dump();
    ASSERT_TRUE(eventually([&] {
        json c = cluster();
        const json* cond = c.is_null() ? nullptr : find_condition(c, "Ready");
        return cond != nullptr && cond->value("status", "") == "True" &&
               c["status"].value("readyBrokers", 0) == 3;
    })) << cluster().dump();
    json c = cluster();
    for (const auto& b : c["status"]["brokers"]) {
        EXPECT_EQ(b.value("rack", ""), zone_of(pods()[b.value("pod", "")])) << b.dump();
    }
    // status.clusterId is what a broker reports by DescribeCluster. Every broker reports the
    // controller quorum's one id: the cluster.id rendered from metadata.uid.
    std::set<std::string> reported;
    for (const auto& [name, pod] : ready_pods()) {
        auto client = kafka(pod["status"].value("podIP", ""));
        ASSERT_NE(client, nullptr) << name;
        auto described = client->describe_cluster();
        ASSERT_TRUE(described) << name << ": " << described.error().message();
        reported.insert(described.value().cluster_id);
    }
    EXPECT_EQ(reported.count(""), 0u) << "a broker reported no cluster id";
    ASSERT_EQ(reported.size(), 1u) << "the ready brokers report different cluster ids";
    const std::string id = *reported.begin();
    EXPECT_EQ(common::cluster_id_from_uuid(c["metadata"].value("uid", "")), id);
    EXPECT_TRUE(eventually([&] {
        json now = cluster();
        return now.is_object() && now.contains("status") &&
               now["status"].value("clusterId", "") == id;
    })) << cluster()["status"].dump();
    const json settled = cluster();
    const json* degraded = find_condition(settled, "Degraded");
    EXPECT_TRUE(degraded == nullptr || degraded->value("status", "") != "True")
        << settled["status"].dump();
}

TEST_F(BrokersE2eTest, ADeletedBrokerPodIsStoppedGracefullyAndReturnsReadyWithItsData) {
    start_operator();
    create_cluster_and_wait_answering();
    json old = answering_pods()["events-broker-1"];
    const std::string old_ip = old["status"].value("podIP", "");
    const std::string old_uid = old["metadata"].value("uid", "");
    ASSERT_EQ(create_topic(old_ip, "kept"), 0);
    ASSERT_EQ(topic_error(old_ip, "kept"), 0);
    auto old_client = kafka(old_ip);
    ASSERT_NE(old_client, nullptr);
    auto before = old_client->describe_cluster();
    ASSERT_TRUE(before);

    ASSERT_TRUE(client_->remove(kube::core_v1("pods"), ns_, "events-broker-1"));
    json back;
    ASSERT_TRUE(eventually(
        [&] {
            auto now = answering_pods();
            auto it = now.find("events-broker-1");
            if (it == now.end() || it->second["metadata"].value("uid", "") == old_uid) {
                return false;
            }
            back = it->second;
            return true;
        },
        kStartDeadline))
        << "the recreated broker never answered: " << pods_dump();
    EXPECT_EQ(back["spec"].value("nodeName", ""), old["spec"].value("nodeName", ""))
        << "the node-local volume pins the broker to its node";
    // SIGTERM within the grace period: the broker shut down cleanly (exit code 0).
    EXPECT_NE(agent_.log().find("events-broker-1: broker exited with 0"), std::string::npos);

    const std::string ip = back["status"].value("podIP", "");
    EXPECT_EQ(topic_error(ip, "kept"), 0) << "the topic did not survive the restart";
    auto new_client = kafka(ip);
    ASSERT_NE(new_client, nullptr);
    auto after = new_client->describe_cluster();
    ASSERT_TRUE(after);
    EXPECT_EQ(after.value().cluster_id, before.value().cluster_id)
        << "the data directory (meta.properties) was not kept";
    EXPECT_TRUE(eventually(
        [&] {
            auto now = ready_pods();
            return now.count("events-broker-1") == 1 &&
                   now["events-broker-1"]["metadata"].value("uid", "") != old_uid;
        },
        kStartDeadline))
        << "the recreated broker pod never became Ready: " << pods_dump();
}

// Four brokers: pods 0-2 the controller voters, pod 3 a broker-only node. Scaling to three
// waits while broker 3 holds partition replicas (nothing moves them off it yet): the KafkaCluster
// says why and the StatefulSet keeps four pods. Once the topic is deleted the scale-down is done.
TEST_F(BrokersE2eTest, AScaleDownWaitsUntilTheRemovedBrokerHoldsNoReplica) {
    start_operator();
    create_cluster_and_wait_answering(4);
    const std::string ip = answering_pods()["events-broker-0"]["status"].value("podIP", "");
    ASSERT_EQ(create_topic(ip, "spread", 8, 3), 0);
    ASSERT_TRUE(eventually([&] { return replicas_on(ip, 3) > 0; }))
        << "broker 3, a broker-only node, holds no replica of an 8-partition RF=3 topic";

    // The operator asks ready brokers only.
    ASSERT_TRUE(eventually([&] { return ready_pods().size() == 4; }, kStartDeadline))
        << pods_dump();
    // A merge patch, as kubectl would send: the operator keeps writing the object's status.
    auto patched = client_->patch(kClusters, ns_, "events", kube::PatchType::Merge,
                                  json{{"spec", {{"replicas", 3}}}});
    ASSERT_TRUE(patched) << patched.error().message();
    const kube::Gvr sets{"apps", "v1", "statefulsets"};
    json blocked;
    ASSERT_TRUE(eventually([&] {
        blocked = cluster();
        const json* ready = blocked.is_null() ? nullptr : find_condition(blocked, "Ready");
        return ready != nullptr && ready->value("reason", "") == "ScaleDownBlockedByReplicas";
    })) << blocked.dump();
    EXPECT_NE(find_condition(blocked, "Ready")
                  ->value("message", "")
                  .find("still hold partition replicas: 3 ("),
              std::string::npos)
        << blocked.dump();
    EXPECT_EQ(client_->get(sets, ns_, "events-broker").value()["spec"]["replicas"], 4);
    EXPECT_EQ(answering_pods().count("events-broker-3"), 1u);

    ASSERT_EQ(delete_topic(ip, "spread"), 0);
    ASSERT_TRUE(eventually([&] { return replicas_on(ip, 3) == 0; }));
    // The operator looks again within its 30 s requeue.
    ASSERT_TRUE(eventually(
        [&] {
            auto set = client_->get(sets, ns_, "events-broker");
            return set && set.value()["spec"]["replicas"] == 3 && pods().size() == 3;
        },
        std::chrono::seconds(90)))
        << cluster().dump() << pods_dump();
    const json scaled = cluster();
    const json* degraded = find_condition(scaled, "Degraded");
    EXPECT_TRUE(degraded == nullptr ||
                degraded->value("reason", "") != "ScaleDownBlockedByReplicas")
        << scaled.dump();
}

// Last in this file: the bundle's operator watches every namespace. It runs as a pod under the
// agent (with its own ServiceAccount and RBAC), and its brokers become Ready.
TEST_F(BrokersE2eTest, TheInstallBundleRunsTheOperatorAsAPodThatMakesItsBrokersReady) {
    ASSERT_TRUE(kubectl("apply -f " + source_dir() + "/manifests/"));
    const kube::Gvr deployments{"apps", "v1", "deployments"};
    auto operator_pods = [&] {
        kube::ListOptions opts;
        opts.label_selector = "app.kubernetes.io/name=tributary-operator";
        auto list = client_->list(kube::core_v1("pods"), "tributary-system", opts);
        return list ? list.value()["items"] : json::array();
    };
    ASSERT_TRUE(eventually([&] {
        json items = operator_pods();
        return items.size() == 1 && pod_ready(items[0]);
    })) << operator_pods().dump();

    std::string path = dir_ + "/cluster.yaml";
    std::ofstream(path) << cluster_yaml(ns_);
    ASSERT_TRUE(kubectl("apply -f " + path));
    EXPECT_TRUE(eventually([&] { return ready_pods().size() == 3; }, kStartDeadline))
        << pods_dump();
    EXPECT_TRUE(eventually([&] {
        json c = cluster();
        const json* cond = c.is_null() ? nullptr : find_condition(c, "Ready");
        return cond != nullptr && cond->value("status", "") == "True" &&
               c["status"].value("readyBrokers", 0) == 3;
    })) << cluster().dump();

    // Leave nothing running for later tests: the namespace first (the operator releases its
    // finalizer), then the operator itself.
    ASSERT_TRUE(client_->remove(kube::core_v1("namespaces", false), "", ns_));
    EXPECT_TRUE(eventually([&] { return pods().empty(); })) << pods_dump();
    ASSERT_TRUE(client_->remove(deployments, "tributary-system", "tributary-operator"));
    EXPECT_TRUE(eventually([&] { return operator_pods().empty(); }));
}

}  // namespace
}  // namespace kop
