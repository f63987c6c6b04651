#include "operator/model/services.h"

#include <string>

namespace kop::model {
namespace {

using api::v1alpha1::Listener;

Json port(const std::string& name, int32_t number) {
    return Json{{"name", name}, {"port", number}, {"targetPort", number}, {"protocol", "TCP"}};
}

Json service(const KafkaCluster& c, const std::string& name, Json spec) {
    return Json{{"apiVersion", "v1"},
                {"kind", "Service"},
                {"metadata", owned_metadata(c, name, kComponentBroker)},
                {"spec", std::move(spec)}};
}

bool is_external(const Listener& l) {
    return l.type != api::v1alpha1::kListenerInternal;
}

std::string service_type(const Listener& l) {
    return l.type == api::v1alpha1::kListenerNodePort ? "NodePort" : "LoadBalancer";
}

}  // namespace

Json render_headless_service(const KafkaCluster& c, const Observed& /*observed*/) {
    Json ports = Json::array({port("controller", api::v1alpha1::kControllerPort),
                              port("replication", api::v1alpha1::kReplicationPort),
                              port("admin", api::v1alpha1::kAdminPort)});
    for (const Listener& l : c.spec.listeners) ports.push_back(port(l.name, l.port));
    return service(c, headless_service_name(c),
                   Json{{"clusterIP", "None"},
                        {"publishNotReadyAddresses", true},
                        {"selector", selector_labels(c, kComponentBroker)},
                        {"ports", std::move(ports)}});
}

Json render_bootstrap_service(const KafkaCluster& c, const Observed& /*observed*/) {
    Json ports = Json::array();
    for (const Listener& l : c.spec.listeners) {
        if (!is_external(l)) ports.push_back(port(l.name, l.port));
    }
    if (ports.empty()) {
        // Only external listeners: in-cluster clients still reach the brokers through the
        // external listeners' ports.
        for (const Listener& l : c.spec.listeners) ports.push_back(port(l.name, l.port));
    }
    return service(c, bootstrap_service_name(c),
                   Json{{"type", "ClusterIP"},
                        {"selector", selector_labels(c, kComponentBroker)},
                        {"ports", std::move(ports)}});
}

std::vector<Json> render_external_services(const KafkaCluster& c, const Observed& /*observed*/) {
    std::vector<Json> out;
    for (const Listener& l : c.spec.listeners) {
        if (!is_external(l)) continue;
        out.push_back(service(c, external_bootstrap_service_name(c, l.name),
                              Json{{"type", service_type(l)},
                                   {"selector", selector_labels(c, kComponentBroker)},
                                   {"ports", Json::array({port(l.name, l.port)})}}));
        for (int i = 0; i < c.spec.replicas; ++i) {
            Json selector = selector_labels(c, kComponentBroker);
            selector["statefulset.kubernetes.io/pod-name"] = pod_name(c, i);
            Json spec = {{"type", service_type(l)},
                         {"selector", std::move(selector)},
                         {"publishNotReadyAddresses", true},
                         {"ports", Json::array({port(l.name, l.port)})}};
            // Keep client traffic on the broker's own node, which the node port identifies.
            if (l.type == api::v1alpha1::kListenerNodePort) spec["externalTrafficPolicy"] = "Local";
            out.push_back(service(c, broker_service_name(c, i, l.name), std::move(spec)));
        }
    }
    return out;
}

}  // namespace kop::model
