#include "operator/controllers/read_caches.h"

#include "operator/api/v1alpha1/kafka_cluster.h"
#include "operator/api/v1alpha1/meta.h"

namespace kop::controllers {
namespace {

std::string id_of(const kube::Gvr& gvr) {
    return gvr.group_version() + "/" + gvr.resource;
}

}  // namespace

void ReadCaches::add(const kube::Gvr& gvr, std::shared_ptr<runtime::Cache> cache) {
    caches_[id_of(gvr)] = std::move(cache);
}

std::shared_ptr<runtime::Cache> ReadCaches::find(const kube::Gvr& gvr) const {
    auto it = caches_.find(id_of(gvr));
    return it == caches_.end() ? nullptr : it->second;
}

std::optional<runtime::Json> ReadCaches::get(const kube::Gvr& gvr, const std::string& ns,
                                             const std::string& name) const {
    auto cache = find(gvr);
    if (cache == nullptr) return std::nullopt;
    return cache->get({gvr.namespaced ? ns : "", name});
}

std::vector<kube::Gvr> kafka_cluster_read_types(bool policy_v1) {
    const std::string rbac = "rbac.authorization.k8s.io";
    return {kube::Gvr{api::v1alpha1::kGroup, api::v1alpha1::kVersion, "kafkaclusters"},
            kube::Gvr{"apps", "v1", "statefulsets"},
            kube::core_v1("services"),
            kube::core_v1("configmaps"),
            kube::core_v1("serviceaccounts"),
            kube::core_v1("pods"),
            kube::core_v1("persistentvolumeclaims"),
            kube::core_v1("nodes", false),
            kube::Gvr{"networking.k8s.io", "v1", "networkpolicies"},
            kube::Gvr{"policy", policy_v1 ? "v1" : "v1beta1", "poddisruptionbudgets"},
            kube::Gvr{rbac, "v1", "roles"},
            kube::Gvr{rbac, "v1", "rolebindings"},
            kube::Gvr{rbac, "v1", "clusterroles", false},
            kube::Gvr{rbac, "v1", "clusterrolebindings", false}};
}

bool has_labels(const runtime::Json& object, const std::map<std::string, std::string>& selector) {
    const runtime::Json labels =
        object.value("metadata", runtime::Json::object()).value("labels", runtime::Json::object());
    for (const auto& [key, value] : selector) {
        auto it = labels.find(key);
        if (it == labels.end() || !it->is_string() || it->get<std::string>() != value) {
            return false;
        }
    }
    return true;
}

}  // namespace kop::controllers
