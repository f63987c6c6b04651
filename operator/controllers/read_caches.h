#pragma once
// ReadCaches: the informer caches a reconciler reads instead of the API server, by resource type.
// Filled once when the controller is registered (host.cache(gvr) for each type, which also makes
// the manager inform it) or by a test; read-only afterwards, so any worker thread may use it
// (the caches themselves are thread-safe).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "operator/kube/resource.h"
#include "operator/runtime/cache.h"

namespace kop::controllers {

class ReadCaches {
  public:
    void add(const kube::Gvr& gvr, std::shared_ptr<runtime::Cache> cache);
    // The cache of `gvr`, or nullptr when that type is not informed.
    std::shared_ptr<runtime::Cache> find(const kube::Gvr& gvr) const;
    // The object from the cache of `gvr`; nullopt when absent or the type is not informed.
    std::optional<runtime::Json> get(const kube::Gvr& gvr, const std::string& ns,
                                     const std::string& name) const;

  private:
    std::map<std::string, std::shared_ptr<runtime::Cache>> caches_;
};

// The types the KafkaCluster reconciler reads: the CR, everything it renders (the
// PodDisruptionBudget in the version discovery chose), the broker pods, their nodes and claims.
std::vector<kube::Gvr> kafka_cluster_read_types(bool policy_v1);

// Whether every label in `selector` is set to that value on `object`.
bool has_labels(const runtime::Json& object, const std::map<std::string, std::string>& selector);

}  // namespace kop::controllers
