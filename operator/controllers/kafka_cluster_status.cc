#include "operator/controllers/kafka_cluster_status.h"

#include <algorithm>

#include "operator/model/names.h"
#include "operator/model/property_template.h"

namespace kop::controllers {
namespace {

using api::v1alpha1::BrokerStatus;
using api::v1alpha1::KafkaCluster;
using api::v1alpha1::ListenerStatus;

std::string pod_name_of(const Json& pod) {
    return pod.value("metadata", Json::object()).value("name", "");
}

const Json* find_service(const ObservedCluster& o, const std::string& name) {
    for (const auto& s : o.services) {
        if (s.value("metadata", Json::object()).value("name", "") == name) return &s;
    }
    return nullptr;
}

// "host:port" of a LoadBalancer Service once it has an ingress, else "".
std::string load_balancer_address(const Json& svc, int32_t port) {
    const Json ingress = svc.value("status", Json::object())
                             .value("loadBalancer", Json::object())
                             .value("ingress", Json::array());
    if (ingress.empty()) return "";
    std::string host = ingress[0].value("hostname", "");
    if (host.empty()) host = ingress[0].value("ip", "");
    return host.empty() ? "" : host + ":" + std::to_string(port);
}

ListenerStatus listener_status(const KafkaCluster& c, const api::v1alpha1::Listener& l,
                               const ObservedCluster& o) {
    ListenerStatus s{l.name, ""};
    if (l.type == api::v1alpha1::kListenerInternal) {
        s.bootstrap = model::bootstrap_service_name(c) + "." + c.metadata.namespace_ +
                      ".svc:" + std::to_string(l.port);
        return s;
    }
    const Json* svc = find_service(o, model::external_bootstrap_service_name(c, l.name));
    if (svc == nullptr) return s;
    if (l.type == api::v1alpha1::kListenerLoadBalancer) {
        s.bootstrap = load_balancer_address(*svc, l.port);
    } else {
        const Json ports = svc->value("spec", Json::object()).value("ports", Json::array());
        if (!ports.empty() && ports[0].contains("nodePort")) {
            s.bootstrap = "<node>:" + ports[0]["nodePort"].dump();
        }
    }
    return s;
}

}  // namespace

bool pod_ready(const Json& pod) {
    const Json& conditions = pod.value("status", Json::object()).value("conditions", Json::array());
    for (const auto& c : conditions) {
        if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
    }
    return false;
}

api::v1alpha1::KafkaClusterStatus observe_status(const KafkaCluster& cluster,
                                                 const ObservedCluster& observed) {
    api::v1alpha1::KafkaClusterStatus status;
    status.cluster_id = cluster.status.cluster_id;
    for (const auto& pod : observed.pods) {
        std::string name = pod_name_of(pod);
        auto ordinal = model::pod_ordinal(name);
        if (!ordinal) continue;
        BrokerStatus b;
        b.id = ordinal.value();
        b.pod = name;
        b.ready = pod_ready(pod);
        if (auto rack = observed.pod_racks.find(name); rack != observed.pod_racks.end()) {
            b.rack = rack->second;
        }
        if (b.ready) ++status.ready_brokers;
        status.brokers.push_back(std::move(b));
    }
    std::sort(status.brokers.begin(), status.brokers.end(),
              [](const BrokerStatus& a, const BrokerStatus& b) { return a.id < b.id; });
    for (const auto& l : cluster.spec.listeners) {
        status.listeners.push_back(listener_status(cluster, l, observed));
    }
    return status;
}

std::vector<std::string> pods_with_old_config(const ObservedCluster& observed) {
    std::vector<std::string> out;
    for (const auto& pod : observed.pods) {
        const Json annotations =
            pod.value("metadata", Json::object()).value("annotations", Json::object());
        if (annotations.value(model::kConfigHashAnnotation, "") != observed.config_hash) {
            out.push_back(pod_name_of(pod));
        }
    }
    return out;
}

bool cluster_ready(const KafkaCluster& cluster, const ObservedCluster& observed) {
    if (observed.stateful_set.is_null()) return false;
    int ready = 0;
    for (const auto& pod : observed.pods) ready += pod_ready(pod) ? 1 : 0;
    return ready == cluster.spec.replicas &&
           static_cast<int>(observed.pods.size()) == cluster.spec.replicas &&
           pods_with_old_config(observed).empty();
}

}  // namespace kop::controllers
