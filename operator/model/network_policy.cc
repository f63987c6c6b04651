#include "operator/model/network_policy.h"

namespace kop::model {
namespace {

Json tcp(int32_t port) {
    return Json{{"protocol", "TCP"}, {"port", port}};
}

}  // namespace

Json render_network_policy(const KafkaCluster& c, const Observed& /*observed*/) {
    Json brokers = {{"podSelector", {{"matchLabels", selector_labels(c, kComponentBroker)}}}};
    Json operators = {
        {"namespaceSelector", Json::object()},
        {"podSelector", {{"matchLabels", {{kOperatorPodLabel, kOperatorPodLabelValue}}}}}};
    Json client_ports = Json::array();
    for (const auto& l : c.spec.listeners) client_ports.push_back(tcp(l.port));
    Json ingress = Json::array();
    ingress.push_back(Json{{"ports", std::move(client_ports)}});
    ingress.push_back(Json{{"from", Json::array({brokers})},
                           {"ports", Json::array({tcp(api::v1alpha1::kControllerPort),
                                                  tcp(api::v1alpha1::kReplicationPort)})}});
    // The operator speaks Kafka on the replication listener and HTTP on the admin port.
    ingress.push_back(Json{{"from", Json::array({operators})},
                           {"ports", Json::array({tcp(api::v1alpha1::kReplicationPort),
                                                  tcp(api::v1alpha1::kAdminPort)})}});
    Json admin = {{"ports", Json::array({tcp(api::v1alpha1::kAdminPort)})}};
    if (!c.spec.metrics.enabled) admin["from"] = Json::array({brokers});
    ingress.push_back(std::move(admin));
    return Json{{"apiVersion", "networking.k8s.io/v1"},
                {"kind", "NetworkPolicy"},
                {"metadata", owned_metadata(c, stateful_set_name(c), kComponentBroker)},
                {"spec",
                 {{"podSelector", {{"matchLabels", selector_labels(c, kComponentBroker)}}},
                  {"policyTypes", Json::array({"Ingress"})},
                  {"ingress", std::move(ingress)}}}};
}

}  // namespace kop::model
