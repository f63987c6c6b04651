#include "operator/model/pod_disruption_budget.h"

namespace kop::model {

Json render_pod_disruption_budget(const KafkaCluster& c, const Observed& observed) {
    return Json{{"apiVersion", observed.policy_v1 ? "policy/v1" : "policy/v1beta1"},
                {"kind", "PodDisruptionBudget"},
                {"metadata", owned_metadata(c, stateful_set_name(c), kComponentBroker)},
                {"spec",
                 {{"maxUnavailable", 1},
                  {"selector", {{"matchLabels", selector_labels(c, kComponentBroker)}}}}}};
}

}  // namespace kop::model
