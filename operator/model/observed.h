#pragma once
// Observed: the facts about the cluster and the operator that renderers need besides the
// KafkaCluster itself — API versions found by discovery, the operator's own settings and what the
// cluster already fixed (its controller voters). A plain
// value the reconciler fills in; renderers only read it.

#include <string>

namespace kop::model {

struct Observed {
    // PodDisruptionBudget: policy/v1 when served (Kubernetes >= 1.21), else policy/v1beta1.
    bool policy_v1 = true;
    // StatefulSet.spec.persistentVolumeClaimRetentionPolicy is honoured (Kubernetes >= 1.27).
    bool pvc_retention_policy = true;
    // Runs the broker-init init container (tributary-operator broker-init).
    std::string operator_image = "ghcr.io/tributary-io/tributary-operator:0.1.0";
    // Used when spec.image is empty.
    std::string default_broker_image = "ghcr.io/tributary-io/tributary-broker:0.1.0";
    // The controller voters of the cluster as it exists (read back from its broker ConfigMap);
    // 0 for a cluster not rendered yet. Kept on every later render: the voter set is static.
    int controller_voters = 0;
};

}  // namespace kop::model
