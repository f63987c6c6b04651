#pragma once
// KafkaClusterReconciler: makes the cluster hold what a KafkaCluster asks for. One pass: read the
// object; on deletion clean up what ownerReferences cannot (cluster-scoped RBAC, claims when
// deleteClaim) and release the finalizer; validate (InvalidSpec in status, terminal until the
// generation changes); discover API versions; render (operator/model); apply each object with
// the Applier (create / merge-patch / no request); compute status from the observed
// StatefulSet, pods and Services; write status only when it changed. A second pass with nothing
// changed makes no write. Rolling restarts belong to the roller and are not done here.
// Holds references to the client; called from the controller's worker threads (stateless
// between calls, so any number may run for different keys).

#include <functional>
#include <map>
#include <string>

#include "operator/controllers/kafka_cluster_status.h"
#include "operator/kube/kube_client.h"
#include "operator/model/observed.h"
#include "operator/runtime/controller.h"

namespace kop::controllers {

inline constexpr const char* kClusterFinalizer = "tributary.io/cluster-cleanup";

// The GVRs this reconciler reads and writes.
kube::Gvr kafka_clusters_gvr();
// The resource of a rendered object, from its apiVersion and kind.
common::Result<kube::Gvr> gvr_of(const nlohmann::json& object);

class KafkaClusterReconciler final : public runtime::Reconciler {
  public:
    struct Options {
        model::Observed defaults;          // operator_image, default_broker_image
        std::function<std::string()> now;  // RFC 3339; runtime::now_rfc3339 when empty
        runtime::Duration requeue_while_progressing = std::chrono::seconds(10);
    };

    KafkaClusterReconciler(kube::KubeClient& client, Options options);

    common::Result<runtime::Outcome> reconcile(const runtime::ObjectKey& key) override;

  private:
    common::Result<runtime::Outcome> finalize(const nlohmann::json& object);
    common::Result<model::Observed> discover();
    common::Result<void> apply_all(const api::v1alpha1::KafkaCluster& cluster,
                                   const nlohmann::json& owner, const model::Observed& observed,
                                   ObservedCluster& seen);
    // The rack label of each scheduled pod's node (a failed read leaves the pod out).
    std::map<std::string, std::string> pod_racks(const std::vector<nlohmann::json>& pods,
                                                 const std::string& label);
    common::Result<void> write_status(const nlohmann::json& object, const nlohmann::json& status);

    kube::KubeClient& client_;
    Options options_;
};

}  // namespace kop::controllers
