// Two real tributary-operator processes with --leader-elect against a real apiserver: one
// leads, the other takes over after the leader is killed with SIGKILL, and a SIGTERM releases
// the Lease.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "operator/kube/kube_client.h"
#include "tests/operator/kube/control_plane.h"
#include "tests/operator/kube/eventually.h"

namespace kop {
namespace {

using nlohmann::json;
using testing::eventually;
using testing::KubeEnvironment;

const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new testing::KubeEnvironment);

class OperatorProcessTest : public ::testing::Test {
  protected:
    void SetUp() override {
        client_ = KubeEnvironment::plane().client();
        ASSERT_NE(client_, nullptr);
        ns_ = testing::create_namespace(*client_, "le");
    }
    void TearDown() override {
        for (pid_t pid : pids_) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
    }

    pid_t spawn(const std::string& identity) {
        std::string bin =
            std::string(std::getenv("TRIBUTARY_BUILD_DIR")) + "/operator/tributary-operator";
        std::vector<std::string> args = {bin,
                                         "--kubeconfig=" + KubeEnvironment::plane().kubeconfig(),
                                         "--namespaces=" + ns_,
                                         "--leader-elect",
                                         "--leader-election-namespace=" + ns_,
                                         "--identity=" + identity,
                                         "--lease-duration=3s",
                                         "--renew-deadline=2s",
                                         "--retry-period=500ms",
                                         "--metrics-addr=127.0.0.1:0",
                                         "--health-addr=127.0.0.1:0"};
        pid_t pid = fork();
        if (pid == 0) {
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            execv(argv[0], argv.data());
            _exit(127);
        }
        pids_.push_back(pid);
        return pid;
    }

    int wait_exit(pid_t pid) {
        int status = 0;
        waitpid(pid, &status, 0);
        std::erase(pids_, pid);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    json lease_spec() {
        auto lease = client_->get(kube::leases_v1(), ns_, "tributary-operator-leader");
        return lease ? lease.value().value("spec", json::object()) : json::object();
    }
    std::string holder() { return lease_spec().value("holderIdentity", ""); }

    std::unique_ptr<kube::HttpKubeClient> client_;
    std::string ns_;
    std::vector<pid_t> pids_;
};

TEST_F(OperatorProcessTest, OneLeadsAndTheOtherTakesOverWhenTheLeaderIsKilled) {
    pid_t a = spawn("a");
    ASSERT_TRUE(eventually([&] { return holder() == "a"; }));
    pid_t b = spawn("b");
    // While a renews, b stays a candidate: watch a renew twice with b running.
    std::string renew = lease_spec().value("renewTime", "");
    ASSERT_TRUE(eventually([&] { return lease_spec().value("renewTime", "") != renew; }));
    renew = lease_spec().value("renewTime", "");
    ASSERT_TRUE(eventually([&] { return lease_spec().value("renewTime", "") != renew; }));
    EXPECT_EQ(holder(), "a");

    kill(a, SIGKILL);
    EXPECT_EQ(wait_exit(a), -1);
    ASSERT_TRUE(eventually([&] { return holder() == "b"; }));
    EXPECT_EQ(lease_spec().value("leaseTransitions", 0), 1);

    kill(b, SIGTERM);  // graceful: releases the Lease
    EXPECT_EQ(wait_exit(b), 0);
    EXPECT_EQ(holder(), "");
}

}  // namespace
}  // namespace kop
