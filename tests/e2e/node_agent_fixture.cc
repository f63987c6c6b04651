#include "tests/e2e/node_agent_fixture.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace e2e::testing {
namespace {

std::string env_or(const char* key, const std::string& fallback) {
    const char* v = std::getenv(key);
    return v != nullptr && *v != '\0' ? v : fallback;
}

std::string read_tail(const std::filesystem::path& path, size_t bytes) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    std::string text = s.str();
    return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

}  // namespace

NodeAgentOptions three_zone_options() {
    NodeAgentOptions o;
    for (const char* zone : {"a", "b", "c"}) {
        o.nodes.push_back(std::string("zone-") + zone + ":topology.kubernetes.io/zone=" + zone);
    }
    const std::string build = env_or("TRIBUTARY_BUILD_DIR", "build");
    o.images["ghcr.io/tributary-io/tributary-broker"] =
        env_or("TRIBUTARY_BROKER_BIN", build + "/broker/tributary-broker");
    o.images["ghcr.io/tributary-io/tributary-operator"] =
        env_or("TRIBUTARY_OPERATOR_BIN", build + "/operator/tributary-operator");
    return o;
}

NodeAgent::~NodeAgent() {
    if (running()) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
}

bool NodeAgent::start(const std::string& kubeconfig, const std::string& dir,
                      const NodeAgentOptions& opts) {
    root_ = dir + "/node-agent";
    log_path_ = dir + "/node-agent.log";
    std::string prefix = opts.ip_prefix;
    if (prefix.empty()) prefix = "127." + std::to_string(20 + getpid() % 80);
    std::vector<std::string> args = {
        "/usr/bin/python3",
        env_or("TRIBUTARY_SOURCE_DIR", ".") + "/e2e/node-agent/node-agent",
        "--kubeconfig=" + kubeconfig,
        "--root=" + root_,
        "--ip-prefix=" + prefix,
        "--owner-pid=" + std::to_string(getpid()),
        "--probe-period-max=" + std::to_string(opts.probe_period_max)};
    for (const auto& n : opts.nodes) args.push_back("--node=" + n);
    for (const auto& [image, binary] : opts.images)
        args.push_back("--image=" + image + "=" + binary);
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
    return pid_ > 0;
}

int NodeAgent::stop() {
    if (!running()) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool NodeAgent::running() const {
    return pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0;
}

std::string NodeAgent::log() const {
    return read_tail(log_path_, 1 << 20);
}

std::string NodeAgent::container_logs(size_t bytes) const {
    std::string out;
    std::error_code ec;
    std::filesystem::recursive_directory_iterator it(root_ + "/pods", ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file() && it->path().parent_path().filename() == "logs") {
            out += "--- " + it->path().string() + " ---\n" + read_tail(it->path(), bytes) + "\n";
        }
    }
    return out;
}

}  // namespace e2e::testing
