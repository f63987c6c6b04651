#pragma once
// The brokers' StatefulSet: OnDelete updates (the roller restarts one broker at a time),
// Parallel pod management (a quorum needs its peers to start), broker-init as init container,
// rack-aware topology spread, probes and a preStop drain on the admin port, the config hash as
// a pod annotation, and volumeClaimTemplates or an emptyDir for data.

#include "operator/model/names.h"
#include "operator/model/observed.h"

namespace kop::model {

inline constexpr const char* kReadinessPath = "/v1/health/ready";
inline constexpr const char* kLivenessPath = "/v1/health/live";
inline constexpr const char* kDrainPath = "/v1/broker/drain";
inline constexpr int64_t kTerminationGraceSeconds = 120;
inline constexpr int64_t kBrokerUid = 10001;

Json render_stateful_set(const KafkaCluster& c, const Observed& observed);

// The pod template alone (also what the roller compares against running pods).
Json render_pod_template(const KafkaCluster& c, const Observed& observed);

}  // namespace kop::model
