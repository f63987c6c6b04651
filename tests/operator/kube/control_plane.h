#pragma once
// ControlPlane: a real etcd + kube-apiserver + kube-controller-manager for `kube` tests, started
// by e2e/control-plane/start.sh in a private temp dir and stopped by PID (a watchdog also stops
// it if the test process dies). One per test binary: use KubeEnvironment as a gtest Environment.

#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "operator/kube/http_kube_client.h"

namespace kop::testing {

class ControlPlane {
  public:
    ~ControlPlane();
    bool start();  // false (with a gtest failure message printed) when it could not start
    void stop();

    const std::string& kubeconfig() const { return kubeconfig_; }
    const std::string& dir() const { return dir_; }
    std::string env(const std::string& key) const;  // from DIR/env: APISERVER, ETCD, TOKEN
    std::unique_ptr<kube::HttpKubeClient> client() const;
    // Compacts etcd to its current revision: older resourceVersions become too old.
    bool compact_etcd() const;

  private:
    std::string dir_;
    std::string kubeconfig_;
    std::map<std::string, std::string> env_;
};

// The binary's one control plane; started in SetUp, stopped in TearDown.
class KubeEnvironment : public ::testing::Environment {
  public:
    void SetUp() override;
    void TearDown() override;
    static ControlPlane& plane();
};

// A fresh namespace name for a test ("t-<suffix>-<n>").
std::string unique_namespace(const std::string& suffix);
// Creates a namespace and returns its name.
std::string create_namespace(kube::KubeClient& client, const std::string& suffix);

}  // namespace kop::testing
