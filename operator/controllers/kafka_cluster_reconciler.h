#pragma once
// KafkaClusterReconciler: makes the cluster hold what a KafkaCluster asks for. One pass: read the
// object from the informer cache; on deletion clean up what ownerReferences cannot (cluster-scoped
// RBAC, claims when deleteClaim) and release the finalizer; validate (InvalidSpec in status,
// terminal until the generation changes); take API versions from the discovery cache and the
// controller voter count from the cluster's ConfigMap (kept: scaling below it is refused); a
// scale-down waits while the brokers it removes hold partition replicas; render
// (operator/model); apply each object with the Applier against its cached copy (create / merge
// patch / no request); compute status from the cached StatefulSet, its pods and their nodes, and
// the cluster id the brokers report (DescribeCluster); write status only when it changed. Reads
// never go to the API server; a second pass with nothing changed makes no request that writes.
// Rolling restarts belong to the roller and are not done here.
// Holds references to the client and event recorder, which outlive it, and shares the caches;
// called from the controller's worker threads (any number may run for different keys; the little
// state it keeps is locked).

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "operator/controllers/cluster_id.h"
#include "operator/controllers/discovery_cache.h"
#include "operator/controllers/kafka_cluster_status.h"
#include "operator/controllers/read_caches.h"
#include "operator/controllers/replica_holders.h"
#include "operator/kube/kube_client.h"
#include "operator/model/observed.h"
#include "operator/runtime/applier.h"
#include "operator/runtime/controller.h"
#include "operator/runtime/events.h"

namespace kop::controllers {

inline constexpr const char* kClusterFinalizer = "tributary.io/cluster-cleanup";
inline constexpr const char* kReasonClusterIdMismatch = "ClusterIdMismatch";

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
        // How soon to ask the brokers again while the cluster id cannot be read.
        runtime::Duration requeue_for_cluster_id = std::chrono::seconds(30);
        // How soon to look again while a scale-down waits for brokers to hold no replica.
        runtime::Duration requeue_while_scale_down_blocked = std::chrono::seconds(30);
        std::shared_ptr<ClusterIdReader> cluster_ids;  // null: status.clusterId is not read
        // null: scaling down is not checked against the replicas the removed brokers hold
        std::shared_ptr<ReplicaHolderReader> replica_holders;
        runtime::EventRecorder* events = nullptr;  // null: no Events
    };

    KafkaClusterReconciler(kube::KubeClient& client, ReadCaches caches,
                           std::shared_ptr<DiscoveryCache> discovery, Options options);

    common::Result<runtime::Outcome> reconcile(const runtime::ObjectKey& key) override;

  private:
    struct ClusterIdResult {
        std::string id;    // what status.clusterId should hold
        std::string note;  // why it could not be confirmed ("" when it was)
        bool mismatch = false;
    };

    common::Result<runtime::Outcome> finalize(const nlohmann::json& object);
    common::Result<model::Observed> discover();
    // The controller voter count the cluster's broker ConfigMap renders (0: not rendered yet).
    int existing_voter_count(const api::v1alpha1::KafkaCluster& cluster) const;
    // Why scaling the StatefulSet down to spec.replicas must wait: the brokers it would remove
    // still hold partition replicas, or no broker could tell. "" when it is no scale-down, or
    // a safe one (or no ReplicaHolderReader is set).
    std::string scale_down_blocker(const api::v1alpha1::KafkaCluster& cluster) const;
    // A scale-down that is not done: every condition False/True with `reason` and `message`, a
    // Warning Event, nothing applied; returns `outcome`.
    common::Result<runtime::Outcome> refuse_scale_down(const nlohmann::json& object,
                                                       const api::v1alpha1::KafkaCluster& cluster,
                                                       const std::string& reason,
                                                       const std::string& message,
                                                       runtime::Outcome outcome);
    common::Result<void> apply_all(const api::v1alpha1::KafkaCluster& cluster,
                                   const nlohmann::json& owner, const model::Observed& observed,
                                   ObservedCluster& seen);
    common::Result<runtime::ApplyResult> apply_one(const kube::Gvr& gvr,
                                                   const nlohmann::json& desired,
                                                   const nlohmann::json* owner);
    common::Result<runtime::ApplyResult> apply_against_cache(const kube::Gvr& gvr,
                                                             const nlohmann::json& desired,
                                                             const nlohmann::json* owner);
    // The pods the StatefulSet owns (none while it is not known).
    std::vector<nlohmann::json> broker_pods(const nlohmann::json& stateful_set) const;
    // The rack label of each scheduled pod's node (a node missing from the cache leaves it out).
    std::map<std::string, std::string> pod_racks(const std::vector<nlohmann::json>& pods,
                                                 const std::string& label) const;
    ClusterIdResult read_cluster_id(const api::v1alpha1::KafkaCluster& cluster,
                                    const nlohmann::json& object, const ObservedCluster& seen);
    common::Result<void> write_status(const nlohmann::json& object, const nlohmann::json& status);

    kube::KubeClient& client_;
    ReadCaches caches_;
    std::shared_ptr<DiscoveryCache> discovery_;
    Options options_;
    std::mutex mu_;
    std::set<std::string> mismatches_reported_;  // "<uid>/<reported id>": one Event each
};

}  // namespace kop::controllers
