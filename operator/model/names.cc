#include "operator/model/names.h"

namespace kop::model {

std::string stateful_set_name(const KafkaCluster& c) {
    return c.metadata.name + "-broker";
}

std::string pod_name(const KafkaCluster& c, int ordinal) {
    return stateful_set_name(c) + "-" + std::to_string(ordinal);
}

std::string headless_service_name(const KafkaCluster& c) {
    return c.metadata.name + "-brokers";
}

std::string bootstrap_service_name(const KafkaCluster& c) {
    return c.metadata.name + "-bootstrap";
}

std::string external_bootstrap_service_name(const KafkaCluster& c, const std::string& listener) {
    return c.metadata.name + "-" + listener + "-bootstrap";
}

std::string broker_service_name(const KafkaCluster& c, int ordinal, const std::string& listener) {
    return pod_name(c, ordinal) + "-" + listener;
}

std::string config_map_name(const KafkaCluster& c) {
    return c.metadata.name + "-broker-config";
}

std::string service_account_name(const KafkaCluster& c) {
    return c.metadata.name + "-broker";
}

std::string cluster_role_name(const KafkaCluster& c) {
    return "tributary-broker-" + c.metadata.namespace_ + "-" + c.metadata.name;
}

std::string tls_secret_name(const KafkaCluster& c, const std::string& listener) {
    return c.metadata.name + "-" + listener + "-tls";
}

std::string pod_dns_name(const KafkaCluster& c, const std::string& pod) {
    return pod + "." + headless_service_name(c) + "." + c.metadata.namespace_ + ".svc";
}

Json common_labels(const KafkaCluster& c, const std::string& component) {
    return Json{{"app.kubernetes.io/name", "tributary"},
                {"app.kubernetes.io/instance", c.metadata.name},
                {"app.kubernetes.io/managed-by", kManagedBy},
                {"app.kubernetes.io/part-of", "tributary"},
                {"app.kubernetes.io/component", component}};
}

Json selector_labels(const KafkaCluster& c, const std::string& component) {
    return Json{{"app.kubernetes.io/name", "tributary"},
                {"app.kubernetes.io/instance", c.metadata.name},
                {"app.kubernetes.io/component", component}};
}

Json owned_metadata(const KafkaCluster& c, const std::string& name, const std::string& component) {
    Json owner = {{"apiVersion", api::v1alpha1::kApiVersion},
                  {"kind", api::v1alpha1::kKafkaClusterKind},
                  {"name", c.metadata.name},
                  {"uid", c.metadata.uid},
                  {"controller", true},
                  {"blockOwnerDeletion", true}};
    return Json{{"name", name},
                {"namespace", c.metadata.namespace_},
                {"labels", common_labels(c, component)},
                {"ownerReferences", Json::array({std::move(owner)})}};
}

Json cluster_scoped_metadata(const KafkaCluster& c, const std::string& name) {
    Json labels = common_labels(c, kComponentBroker);
    labels["tributary.io/cluster-namespace"] = c.metadata.namespace_;
    return Json{{"name", name}, {"labels", std::move(labels)}};
}

}  // namespace kop::model
