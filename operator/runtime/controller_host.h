#pragma once
// ControllerHost: what a controller package sees of the manager that runs it. Controllers
// register here (see operator/app/manager.h for the hook) and get the shared client, caches,
// applier, event recorder and metrics. Implemented by kop::app::Manager; everything returned
// lives as long as the host.

#include <memory>
#include <string>
#include <vector>

#include "operator/kube/kube_client.h"
#include "operator/runtime/applier.h"
#include "operator/runtime/cache.h"
#include "operator/runtime/controller.h"
#include "operator/runtime/events.h"
#include "operator/runtime/metrics.h"

namespace kop::runtime {

struct ControllerRegistration {
    std::string name;                        // "kafkacluster"
    std::shared_ptr<Reconciler> reconciler;  // shared so the host keeps it alive
    kube::Gvr primary;                       // the CR type; its events enqueue its own key
    std::string primary_kind;                // "KafkaCluster": owned objects map back by kind
    std::vector<kube::Gvr> owned;            // types whose controlling owner is a primary
    int workers = 1;
};

class ControllerHost {
  public:
    virtual ~ControllerHost() = default;

    virtual kube::KubeClient& client() = 0;
    virtual Metrics& metrics() = 0;
    virtual EventRecorder& events() = 0;
    virtual Applier& applier() = 0;
    // The cache of `gvr` over the watched namespaces; asking for it makes the host inform it.
    virtual std::shared_ptr<Cache> cache(const kube::Gvr& gvr) = 0;
    // Watched namespaces; empty means all.
    virtual const std::vector<std::string>& namespaces() const = 0;
    virtual Controller& add_controller(ControllerRegistration registration) = 0;
};

}  // namespace kop::runtime
