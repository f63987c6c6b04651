#include "operator/controllers/register.h"

#include <cstdlib>
#include <memory>

#include "common/log.h"
#include "operator/controllers/kafka_cluster_reconciler.h"

namespace kop::controllers {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

// Which PodDisruptionBudget version to inform. The caches are fixed before the manager runs, so
// discovery is asked once here; should it fail, policy/v1 is assumed and the reconciler falls
// back to reading the other version through the client until the operator restarts.
bool initial_policy_v1(DiscoveryCache& discovery) {
    auto served = discovery.policy_v1();
    if (served) return served.value();
    common::log::get("kafkacluster")
        ->warn("discovery of policy/v1 failed ({}); informing policy/v1 PodDisruptionBudgets",
               served.error().message());
    return true;
}

}  // namespace

void register_controllers(runtime::ControllerHost& host) {
    auto discovery = std::make_shared<DiscoveryCache>(host.client());
    KafkaClusterReconciler::Options options;
    options.defaults.operator_image =
        env_or("TRIBUTARY_OPERATOR_IMAGE", options.defaults.operator_image);
    options.defaults.default_broker_image =
        env_or("TRIBUTARY_BROKER_IMAGE", options.defaults.default_broker_image);
    options.cluster_ids = std::make_shared<KafkaClusterIdReader>();
    options.replica_holders = std::make_shared<KafkaReplicaHolderReader>();
    options.events = &host.events();
    ReadCaches caches;
    for (const auto& gvr : kafka_cluster_read_types(initial_policy_v1(*discovery))) {
        caches.add(gvr, host.cache(gvr));
    }
    runtime::ControllerRegistration reg;
    reg.name = "kafkacluster";
    reg.reconciler = std::make_shared<KafkaClusterReconciler>(host.client(), std::move(caches),
                                                              discovery, std::move(options));
    reg.primary = kafka_clusters_gvr();
    reg.primary_kind = api::v1alpha1::kKafkaClusterKind;
    // Changes to what the reconciler owns wake it; broker pods belong to the StatefulSet, whose
    // status changes as they become ready.
    reg.owned = {kube::Gvr{"apps", "v1", "statefulsets"}, kube::core_v1("services"),
                 kube::core_v1("configmaps"),
                 kube::Gvr{"networking.k8s.io", "v1", "networkpolicies"}};
    reg.workers = 2;
    host.add_controller(std::move(reg));
}

}  // namespace kop::controllers
