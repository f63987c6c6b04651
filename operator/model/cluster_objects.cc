#include "operator/model/cluster_objects.h"

#include "operator/model/broker_config.h"
#include "operator/model/network_policy.h"
#include "operator/model/pod_disruption_budget.h"
#include "operator/model/rbac.h"
#include "operator/model/services.h"
#include "operator/model/stateful_set.h"

namespace kop::model {

ClusterObjects render_cluster_objects(const KafkaCluster& c, const Observed& o) {
    ClusterObjects out;
    out.cluster_scoped = {render_cluster_role(c, o), render_cluster_role_binding(c, o)};
    out.namespaced = {render_service_account(c, o),  render_role(c, o),
                      render_role_binding(c, o),     render_config_map(c, o),
                      render_headless_service(c, o), render_bootstrap_service(c, o)};
    for (Json& svc : render_external_services(c, o)) out.namespaced.push_back(std::move(svc));
    out.namespaced.push_back(render_network_policy(c, o));
    out.namespaced.push_back(render_pod_disruption_budget(c, o));
    out.namespaced.push_back(render_stateful_set(c, o));
    return out;
}

}  // namespace kop::model
