#pragma once
// The brokers' identity and rights, used by broker-init: a ServiceAccount; a Role (get the
// per-broker Services, for node ports and load-balancer addresses) and its RoleBinding; a
// ClusterRole (get nodes, for the rack label and node address) and its ClusterRoleBinding.
// The cluster-scoped pair carries no ownerReferences (a namespaced owner is not allowed there):
// the reconciler deletes them, found by label, when the KafkaCluster goes.

#include "operator/model/names.h"
#include "operator/model/observed.h"

namespace kop::model {

Json render_service_account(const KafkaCluster& c, const Observed& observed);
Json render_role(const KafkaCluster& c, const Observed& observed);
Json render_role_binding(const KafkaCluster& c, const Observed& observed);
Json render_cluster_role(const KafkaCluster& c, const Observed& observed);
Json render_cluster_role_binding(const KafkaCluster& c, const Observed& observed);

}  // namespace kop::model
