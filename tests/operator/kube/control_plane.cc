#include "tests/operator/kube/control_plane.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace kop::testing {
namespace {

std::string source_dir() {
    const char* s = std::getenv("TRIBUTARY_SOURCE_DIR");
    return s != nullptr ? s : ".";
}

std::string run(const std::string& cmd) {
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
    return out;
}

}  // namespace

ControlPlane::~ControlPlane() {
    stop();
}

bool ControlPlane::start() {
    char tmpl[] = "/tmp/tributary-kube-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return false;
    dir_ = tmpl;
    std::string cmd = source_dir() + "/e2e/control-plane/start.sh " + dir_ + " " +
                      std::to_string(getpid()) + " >" + dir_ + "/start.log 2>&1";
    if (std::system(cmd.c_str()) != 0) {
        std::ifstream log(dir_ + "/start.log");
        std::cerr << "control plane failed to start:\n" << log.rdbuf() << "\n";
        return false;
    }
    std::ifstream in(dir_ + "/env");
    std::string line;
    while (std::getline(in, line)) {
        size_t eq = line.find('=');
        if (eq != std::string::npos) env_[line.substr(0, eq)] = line.substr(eq + 1);
    }
    kubeconfig_ = env_["KUBECONFIG"];
    return !kubeconfig_.empty();
}

void ControlPlane::stop() {
    if (dir_.empty()) return;
    std::system((source_dir() + "/e2e/control-plane/stop.sh " + dir_).c_str());
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    dir_.clear();
}

std::string ControlPlane::env(const std::string& key) const {
    auto it = env_.find(key);
    return it == env_.end() ? "" : it->second;
}

std::unique_ptr<kube::HttpKubeClient> ControlPlane::client() const {
    auto cfg = kube::load_kubeconfig_file(kubeconfig_);
    if (!cfg) return nullptr;
    auto c = kube::HttpKubeClient::create(cfg.value());
    if (!c) return nullptr;
    return std::move(c.value());
}

bool ControlPlane::compact_etcd() const {
    std::string etcd = env("ETCD");
    std::string range = run("curl -sf -X POST " + etcd + "/v3/kv/range -d '{\"key\":\"AA==\"}'");
    auto doc = nlohmann::json::parse(range, nullptr, false);
    if (!doc.is_object() || !doc.contains("header")) return false;
    std::string rev = doc["header"].value("revision", "");
    std::string body = "{\"revision\":\"" + rev + "\",\"physical\":true}";
    std::string out = run("curl -sf -X POST " + etcd + "/v3/kv/compaction -d '" + body + "'");
    return out.find("header") != std::string::npos;
}

namespace {
ControlPlane* g_plane = nullptr;
}

void KubeEnvironment::SetUp() {
    g_plane = new ControlPlane();
    ASSERT_TRUE(g_plane->start()) << "kube-apiserver did not start";
}

void KubeEnvironment::TearDown() {
    delete g_plane;
    g_plane = nullptr;
}

ControlPlane& KubeEnvironment::plane() {
    return *g_plane;
}

std::string unique_namespace(const std::string& suffix) {
    static std::atomic<int> n{0};
    return "t-" + suffix + "-" + std::to_string(getpid()) + "-" + std::to_string(n++);
}

std::string create_namespace(kube::KubeClient& client, const std::string& suffix) {
    std::string ns = unique_namespace(suffix);
    nlohmann::json obj = {
        {"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}};
    auto r = client.create(kube::core_v1("namespaces", false), "", obj);
    EXPECT_TRUE(r) << r.error().message();
    return ns;
}

}  // namespace kop::testing
