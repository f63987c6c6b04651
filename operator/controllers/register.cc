#include "operator/controllers/register.h"

#include <cstdlib>
#include <memory>

#include "operator/controllers/kafka_cluster_reconciler.h"

namespace kop::controllers {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

}  // namespace

void register_controllers(runtime::ControllerHost& host) {
    KafkaClusterReconciler::Options options;
    options.defaults.operator_image =
        env_or("TRIBUTARY_OPERATOR_IMAGE", options.defaults.operator_image);
    options.defaults.default_broker_image =
        env_or("TRIBUTARY_BROKER_IMAGE", options.defaults.default_broker_image);
    runtime::ControllerRegistration reg;
    reg.name = "kafkacluster";
    reg.reconciler = std::make_shared<KafkaClusterReconciler>(host.client(), std::move(options));
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
