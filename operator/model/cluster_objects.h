#pragma once
// Every object a KafkaCluster needs, in apply order (identity and config before the
// StatefulSet that uses them). The reconciler applies this list; nothing else decides which
// objects exist.

#include <vector>

#include "operator/model/names.h"
#include "operator/model/observed.h"

namespace kop::model {

struct ClusterObjects {
    std::vector<Json> namespaced;      // carry an ownerReference to the KafkaCluster
    std::vector<Json> cluster_scoped;  // ClusterRole + ClusterRoleBinding, deleted by label
};

ClusterObjects render_cluster_objects(const KafkaCluster& c, const Observed& observed);

}  // namespace kop::model
