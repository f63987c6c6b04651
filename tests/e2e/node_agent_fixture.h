#pragma once
// NodeAgent: starts e2e/node-agent/node-agent (the process-based kubelet stand-in) for a test
// against the control plane of tests/operator/kube, and stops it by PID. The agent is given the
// test's PID as owner, so it stops itself (and everything it started) if the test dies.
// One object per agent process; used from the test's main thread.

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace e2e::testing {

struct NodeAgentOptions {
    std::vector<std::string> nodes;             // --node NAME[:k=v,...]
    std::map<std::string, std::string> images;  // --image PREFIX=BINARY
    std::string ip_prefix;                      // 127.N; empty = derived from the test's PID
    int probe_period_max = 1;                   // cap on probes' periodSeconds
};

// Nodes zone-a, zone-b, zone-c labelled topology.kubernetes.io/zone=a|b|c, and the images the
// operator renders (ghcr.io/tributary-io/tributary-{broker,operator}) mapped to this build's
// binaries (TRIBUTARY_BUILD_DIR, or TRIBUTARY_BROKER_BIN / TRIBUTARY_OPERATOR_BIN).
NodeAgentOptions three_zone_options();

class NodeAgent {
  public:
    NodeAgent() = default;
    NodeAgent(const NodeAgent&) = delete;
    NodeAgent& operator=(const NodeAgent&) = delete;
    ~NodeAgent();

    // Starts the agent with its root and log under `dir`; false when it could not be started.
    bool start(const std::string& kubeconfig, const std::string& dir, const NodeAgentOptions& opts);
    // SIGTERM, then waits; the agent's exit code (-1 when it was not running or was killed).
    int stop();
    bool running() const;

    const std::string& root() const { return root_; }
    const std::string& log_path() const { return log_path_; }
    std::string log() const;
    // The last `bytes` of every container log under root()/pods (for failure messages).
    std::string container_logs(size_t bytes = 4000) const;

  private:
    pid_t pid_ = -1;
    std::string root_;
    std::string log_path_;
};

}  // namespace e2e::testing
