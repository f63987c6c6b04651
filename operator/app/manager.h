#pragma once
// Manager: runs the operator. Owns the Kubernetes client, one informer per (resource type,
// watched namespace) feeding a shared cache per type, the controllers, optional Lease leader
// election (controllers run only while leading), /metrics and /healthz + /readyz endpoints,
// and an orderly shutdown (stop() from a signal: controllers drain, the Lease is released,
// informers stop). One per process; run() blocks on the calling thread.
//
// Registering controllers (the hook for operator/controllers):
//   Provide operator/controllers/register.h declaring
//       namespace kop::controllers { void register_controllers(kop::runtime::ControllerHost&); }
//   and a `kop_controllers` library defining it. When that CMake target exists, kop_app links it
//   and register_builtin_controllers() (app/builtin_controllers.cc) calls it before run(). In it,
//   call host.add_controller({name, reconciler, primary gvr, primary kind, owned gvrs, workers})
//   and read objects through host.cache(gvr) (which also starts informing that type).

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "operator/app/options.h"
#include "operator/kube/kube_client.h"
#include "operator/runtime/controller_host.h"
#include "operator/runtime/http_endpoint.h"
#include "operator/runtime/informer.h"
#include "operator/runtime/leader_election.h"

namespace kop::app {

class Manager final : public runtime::ControllerHost {
  public:
    Manager(Options options, std::unique_ptr<kube::KubeClient> client,
            std::string default_namespace = "default");
    ~Manager() override;

    kube::KubeClient& client() override { return *client_; }
    runtime::Metrics& metrics() override { return metrics_; }
    runtime::EventRecorder& events() override { return events_; }
    runtime::Applier& applier() override { return applier_; }
    std::shared_ptr<runtime::Cache> cache(const kube::Gvr& gvr) override;
    const std::vector<std::string>& namespaces() const override { return options_.namespaces; }
    runtime::Controller& add_controller(runtime::ControllerRegistration registration) override;

    // Blocks until stop(); returns the process exit code (non-zero when leadership was lost
    // or an endpoint could not bind).
    int run();
    // Async-signal-safe request to stop.
    void stop() { stop_requested_.store(true); }

    bool ready() const { return ready_.load(); }
    bool leading() const;
    int metrics_port() const { return metrics_port_; }
    int health_port() const { return health_port_; }

  private:
    struct Kind {
        std::shared_ptr<runtime::Cache> cache;
        std::vector<std::unique_ptr<runtime::Informer>> informers;
    };
    Kind& kind_locked(const kube::Gvr& gvr);
    bool start_endpoints();
    bool synced();
    void start_controllers();
    void stop_all();

    Options options_;
    std::unique_ptr<kube::KubeClient> client_;
    std::string default_namespace_;
    runtime::Metrics metrics_;
    runtime::EventRecorder events_;
    runtime::Applier applier_;

    std::mutex mu_;
    std::map<std::string, Kind> kinds_;  // by group/version/resource
    std::vector<runtime::ControllerRegistration> registrations_;
    std::vector<std::unique_ptr<runtime::Controller>> controllers_;
    std::atomic<bool> controllers_started_{false};
    std::unique_ptr<runtime::LeaderElector> elector_;
    runtime::HttpEndpoint metrics_endpoint_;
    runtime::HttpEndpoint health_endpoint_;
    int metrics_port_ = 0;
    int health_port_ = 0;
    std::atomic<bool> stop_requested_{false};
    std::atomic<bool> lost_leadership_{false};
    std::atomic<bool> ready_{false};
};

// Registers the controllers of operator/controllers when that library is built (see above).
void register_builtin_controllers(runtime::ControllerHost& host);

// Runs a subcommand of the operator binary (`broker-init ...`, the broker pods' init
// container); nullopt when argv[1] names none.
std::optional<int> run_subcommand(int argc, const char* const* argv);

}  // namespace kop::app
