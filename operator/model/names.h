#pragma once
// Names and labels of every object rendered for a KafkaCluster: one place, so renderers,
// reconciler and tests agree. Pure functions of the cluster's name and namespace.

#include <string>

#include <nlohmann/json.hpp>

#include "operator/api/v1alpha1/kafka_cluster.h"

namespace kop::model {

using Json = nlohmann::json;
using api::v1alpha1::KafkaCluster;

inline constexpr const char* kComponentBroker = "broker";
inline constexpr const char* kManagedBy = "tributary-operator";
inline constexpr const char* kConfigHashAnnotation = "tributary.io/config-hash";
inline constexpr const char* kPropertiesKey = "broker.properties";

std::string stateful_set_name(const KafkaCluster& c);       // <name>-broker
std::string pod_name(const KafkaCluster& c, int ordinal);   // <name>-broker-<n>
std::string headless_service_name(const KafkaCluster& c);   // <name>-brokers
std::string bootstrap_service_name(const KafkaCluster& c);  // <name>-bootstrap
std::string external_bootstrap_service_name(const KafkaCluster& c,
                                            const std::string& listener);  // <name>-<l>-bootstrap
std::string broker_service_name(const KafkaCluster& c, int ordinal,
                                const std::string& listener);  // <name>-broker-<n>-<l>
std::string config_map_name(const KafkaCluster& c);            // <name>-broker-config
std::string service_account_name(const KafkaCluster& c);       // <name>-broker
std::string cluster_role_name(const KafkaCluster& c);  // tributary-broker-<namespace>-<name>
std::string tls_secret_name(const KafkaCluster& c, const std::string& listener);  // <name>-<l>-tls
// <pod>.<headless>.<namespace>.svc
std::string pod_dns_name(const KafkaCluster& c, const std::string& pod);

// app.kubernetes.io/{name,instance,managed-by,part-of,component}.
Json common_labels(const KafkaCluster& c, const std::string& component);
// The immutable subset used in selectors: name, instance, component.
Json selector_labels(const KafkaCluster& c, const std::string& component);
// metadata {name, namespace, labels, ownerReferences -> the KafkaCluster}.
Json owned_metadata(const KafkaCluster& c, const std::string& name, const std::string& component);
// metadata for cluster-scoped objects: no namespace, no ownerReferences (Kubernetes forbids a
// namespaced owner); labels carry the owner's namespace so the reconciler can delete them.
Json cluster_scoped_metadata(const KafkaCluster& c, const std::string& name);

}  // namespace kop::model
