#pragma once
// NetworkPolicy for the brokers: client listener ports open to all; controller and replication
// ports only between the cluster's brokers; the admin port to the brokers and to operator pods
// in any namespace (and to everyone when metrics are enabled, for Prometheus).

#include "operator/model/names.h"
#include "operator/model/observed.h"

namespace kop::model {

// Pods of the operator carry this label (the Helm chart sets it).
inline constexpr const char* kOperatorPodLabel = "app.kubernetes.io/name";
inline constexpr const char* kOperatorPodLabelValue = "tributary-operator";

Json render_network_policy(const KafkaCluster& c, const Observed& observed);

}  // namespace kop::model
