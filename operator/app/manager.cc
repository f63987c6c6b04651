#include "operator/app/manager.h"

#include <thread>

#include "common/log.h"

namespace kop::app {

Manager::Manager(Options options, std::unique_ptr<kube::KubeClient> client,
                 std::string default_namespace)
    : options_(std::move(options)),
      client_(std::move(client)),
      default_namespace_(std::move(default_namespace)),
      events_(*client_, "tributary-operator", options_.identity),
      applier_(*client_) {
    metrics_.describe("tributary_operator_leader", "gauge",
                      "1 while this instance runs the controllers.");
    metrics_.gauge_fn("tributary_operator_leader", {}, [this] { return leading() ? 1.0 : 0.0; });
}

Manager::~Manager() {
    stop_all();
}

bool Manager::leading() const {
    return options_.leader_elect ? elector_ && elector_->is_leader() : ready_.load();
}

Manager::Kind& Manager::kind_locked(const kube::Gvr& gvr) {
    std::string id = gvr.group_version() + "/" + gvr.resource;
    auto it = kinds_.find(id);
    if (it != kinds_.end()) return it->second;
    Kind& kind = kinds_[id];
    kind.cache = std::make_shared<runtime::Cache>();
    std::vector<std::string> scopes = options_.namespaces;
    if (scopes.empty() || !gvr.namespaced) scopes = {""};
    for (const auto& ns : scopes) {
        kind.informers.push_back(
            std::make_unique<runtime::Informer>(*client_, gvr, ns, kind.cache));
    }
    return kind;
}

std::shared_ptr<runtime::Cache> Manager::cache(const kube::Gvr& gvr) {
    std::lock_guard lock(mu_);
    return kind_locked(gvr).cache;
}

runtime::Controller& Manager::add_controller(runtime::ControllerRegistration reg) {
    std::lock_guard lock(mu_);
    auto controller = std::make_unique<runtime::Controller>(reg.name, *reg.reconciler, metrics_,
                                                            std::max(1, reg.workers));
    for (auto& informer : kind_locked(reg.primary).informers) {
        informer->add_handler(controller->enqueue_self());
    }
    std::string group = reg.primary.group;
    for (const auto& owned : reg.owned) {
        for (auto& informer : kind_locked(owned).informers) {
            informer->add_handler(controller->enqueue_owner(reg.primary_kind, group));
        }
    }
    registrations_.push_back(std::move(reg));
    controllers_.push_back(std::move(controller));
    return *controllers_.back();
}

bool Manager::start_endpoints() {
    auto log = common::log::get("manager");
    if (options_.metrics_addr != "0") {
        auto addr = runtime::parse_host_port(options_.metrics_addr);
        metrics_endpoint_.handle(
            "/metrics", [this] { return std::make_pair(200, metrics_.render()); },
            "text/plain; version=0.0.4");
        auto port = addr ? metrics_endpoint_.start(addr.value().first, addr.value().second)
                         : common::Result<int>(addr.error());
        if (!port) {
            log->error("cannot serve metrics on {}", options_.metrics_addr);
            return false;
        }
        metrics_port_ = port.value();
    }
    if (options_.health_addr != "0") {
        auto addr = runtime::parse_host_port(options_.health_addr);
        health_endpoint_.handle("/healthz", [] { return std::make_pair(200, std::string("ok")); });
        health_endpoint_.handle("/readyz", [this] {
            return ready_ ? std::make_pair(200, std::string("ok"))
                          : std::make_pair(503, std::string("caches not synced"));
        });
        auto port = addr ? health_endpoint_.start(addr.value().first, addr.value().second)
                         : common::Result<int>(addr.error());
        if (!port) {
            log->error("cannot serve health on {}", options_.health_addr);
            return false;
        }
        health_port_ = port.value();
    }
    return true;
}

void Manager::start_controllers() {
    std::lock_guard lock(mu_);
    if (controllers_started_) return;
    controllers_started_ = true;
    for (auto& c : controllers_) c->start();
    // Everything already cached is reconciled once on start.
    for (size_t i = 0; i < registrations_.size(); ++i) {
        for (const auto& obj : kind_locked(registrations_[i].primary).cache->list()) {
            controllers_[i]->queue().add(runtime::key_of(obj).str());
        }
    }
}

bool Manager::synced() {
    std::lock_guard lock(mu_);
    for (auto& [id, kind] : kinds_) {
        for (auto& informer : kind.informers) {
            if (!informer->synced()) return false;
        }
    }
    return true;
}

int Manager::run() {
    auto log = common::log::get("manager");
    // Created before the endpoints serve, so /metrics never races with its creation.
    if (options_.leader_elect) {
        runtime::LeaderElectionConfig cfg{options_.leader_election_namespace.empty()
                                              ? default_namespace_
                                              : options_.leader_election_namespace,
                                          options_.leader_election_id,
                                          options_.identity,
                                          options_.lease_duration,
                                          options_.renew_deadline,
                                          options_.retry_period};
        elector_ = std::make_unique<runtime::LeaderElector>(*client_, cfg, nullptr, [this] {
            if (!stop_requested_) lost_leadership_ = true;
            stop_requested_ = true;
        });
    }
    if (!start_endpoints()) return 2;
    {
        std::lock_guard lock(mu_);
        for (auto& [id, kind] : kinds_) {
            for (auto& informer : kind.informers) informer->start();
        }
    }
    if (elector_) elector_->start();
    // Controllers start once every cache has synced and (with --leader-elect) this instance
    // leads; election and cache sync proceed independently.
    while (!stop_requested_) {
        bool all_synced = synced();
        if (all_synced && !ready_)
            log->info("caches synced; {} controller(s)", controllers_.size());
        ready_ = all_synced;
        if (all_synced && !controllers_started_ && (!elector_ || elector_->is_leader())) {
            start_controllers();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    log->info("shutting down");
    stop_all();
    return lost_leadership_ ? 1 : 0;
}

void Manager::stop_all() {
    for (auto& c : controllers_) c->stop();
    if (elector_) elector_->stop();
    for (auto& [id, kind] : kinds_) {
        for (auto& informer : kind.informers) informer->stop();
    }
    metrics_endpoint_.stop();
    health_endpoint_.stop();
}

}  // namespace kop::app
