#include "operator/runtime/controller.h"

#include "common/log.h"
#include "operator/kube/errc.h"
#include "operator/runtime/owner.h"

namespace kop::runtime {

Controller::Controller(std::string name, Reconciler& reconciler, Metrics& metrics, int workers,
                       Backoff backoff)
    : name_(std::move(name)),
      reconciler_(reconciler),
      metrics_(metrics),
      workers_count_(workers),
      queue_(backoff) {
    metrics_.describe("tributary_operator_reconcile_total", "counter",
                      "Reconciles by controller and result.");
    metrics_.describe("tributary_operator_reconcile_errors_total", "counter",
                      "Reconciles that returned an error.");
    metrics_.describe("tributary_operator_reconcile_duration_seconds", "histogram",
                      "Time spent in one reconcile.");
    metrics_.describe("tributary_operator_workqueue_depth", "gauge", "Keys ready to reconcile.");
    metrics_.gauge_fn("tributary_operator_workqueue_depth", {{"controller", name_}},
                      [this] { return static_cast<double>(queue_.depth()); });
}

Controller::~Controller() {
    stop();
    metrics_.gauge_fn("tributary_operator_workqueue_depth", {{"controller", name_}},
                      [] { return 0.0; });
}

InformerHandler Controller::enqueue_self() {
    return [this](EventKind, const Json& obj, const Json&) { queue_.add(key_of(obj).str()); };
}

InformerHandler Controller::enqueue_owner(const std::string& owner_kind,
                                          const std::string& owner_group) {
    return [this, owner_kind, owner_group](EventKind, const Json& obj, const Json&) {
        auto owner = controller_owner(obj);
        if (!owner || owner->kind != owner_kind || owner->group() != owner_group) return;
        queue_.add(ObjectKey{meta_string(obj, "namespace"), owner->name}.str());
    };
}

void Controller::start() {
    for (int i = 0; i < workers_count_; ++i) {
        workers_.emplace_back([this] {
            while (process_next()) {
            }
        });
    }
}

void Controller::stop() {
    queue_.shutdown();
    for (auto& w : workers_) {
        if (w.joinable()) w.join();
    }
    workers_.clear();
}

bool Controller::process_next() {
    auto key = queue_.get();
    if (!key) return false;
    auto started = std::chrono::steady_clock::now();
    auto result = reconciler_.reconcile(ObjectKey::parse(*key));
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    metrics_.observe("tributary_operator_reconcile_duration_seconds", {{"controller", name_}},
                     took.count());
    handle(*key, result);
    queue_.done(*key);
    return true;
}

void Controller::handle(const std::string& key, const common::Result<Outcome>& result) {
    auto log = common::log::get("controller");
    if (!result) {
        metrics_.inc("tributary_operator_reconcile_total",
                     {{"controller", name_}, {"result", "error"}});
        metrics_.inc("tributary_operator_reconcile_errors_total", {{"controller", name_}});
        if (result.error() == kube::Errc::Conflict) {
            log->debug("{} {}: conflict, retrying", name_, key);
        } else {
            log->warn("{} {}: {}", name_, key, result.error().message());
        }
        queue_.add_rate_limited(key);
        return;
    }
    const Outcome& outcome = result.value();
    queue_.forget(key);
    switch (outcome.kind) {
        case Outcome::Kind::Done:
            metrics_.inc("tributary_operator_reconcile_total",
                         {{"controller", name_}, {"result", "done"}});
            break;
        case Outcome::Kind::RequeueAfter:
            metrics_.inc("tributary_operator_reconcile_total",
                         {{"controller", name_}, {"result", "requeue"}});
            queue_.add_after(key, outcome.after);
            break;
        case Outcome::Kind::Terminal:
            metrics_.inc("tributary_operator_reconcile_total",
                         {{"controller", name_}, {"result", "terminal"}});
            break;
    }
}

}  // namespace kop::runtime
