#pragma once
// PodDisruptionBudget for the brokers: at most one voluntarily unavailable broker. The API
// version comes from discovery (policy/v1, or policy/v1beta1 on Kubernetes <= 1.20).

#include "operator/model/names.h"
#include "operator/model/observed.h"

namespace kop::model {

Json render_pod_disruption_budget(const KafkaCluster& c, const Observed& observed);

}  // namespace kop::model
