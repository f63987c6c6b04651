#pragma once
// The KafkaCluster status computed from what the cluster holds now: the StatefulSet, the broker
// pods and the Services. Pure: the reconciler gathers the objects and writes the result only when
// it differs from the stored status.

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "operator/api/v1alpha1/kafka_cluster.h"

namespace kop::controllers {

using Json = nlohmann::json;

inline constexpr const char* kReasonReady = "Ready";
inline constexpr const char* kReasonCreating = "Creating";
inline constexpr const char* kReasonBrokersNotReady = "BrokersNotReady";
inline constexpr const char* kReasonRollingRestart = "RollingRestart";
inline constexpr const char* kReasonInvalidSpec = "InvalidSpec";
inline constexpr const char* kReasonAsExpected = "AsExpected";
inline constexpr const char* kReasonApplyFailed = "ApplyFailed";
// spec.replicas below the controller voters the cluster was formed with: nothing is applied.
inline constexpr const char* kReasonScaleDownRefused = "ScaleDownBelowControllerVoters";
// A scale-down whose removed brokers still hold partition replicas (or cannot tell): it waits.
inline constexpr const char* kReasonScaleDownBlocked = "ScaleDownBlockedByReplicas";

struct ObservedCluster {
    Json stateful_set;           // null when absent
    std::vector<Json> pods;      // the broker pods
    std::vector<Json> services;  // rendered Services as the server holds them (external addresses)
    std::string config_hash;     // the hash the pods should carry
    std::map<std::string, std::string> pod_racks;  // pod -> its node's rack label value
};

// The status fields other than conditions: readyBrokers, brokers[], listeners[]; clusterId is
// kept from `previous`.
api::v1alpha1::KafkaClusterStatus observe_status(const api::v1alpha1::KafkaCluster& cluster,
                                                 const ObservedCluster& observed);

// Whether the pod's Ready condition is True.
bool pod_ready(const Json& pod);

// Whether every broker runs, is ready and carries the current configuration.
bool cluster_ready(const api::v1alpha1::KafkaCluster& cluster, const ObservedCluster& observed);

// Pods whose config-hash annotation differs from the current one (due a rolling restart).
std::vector<std::string> pods_with_old_config(const ObservedCluster& observed);

}  // namespace kop::controllers
