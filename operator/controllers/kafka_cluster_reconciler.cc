#include "operator/controllers/kafka_cluster_reconciler.h"

#include <map>

#include "common/errc.h"
#include "common/log.h"
#include "operator/api/v1alpha1/kafka_cluster.h"
#include "operator/controllers/kafka_cluster_status.h"
#include "operator/model/broker_config.h"
#include "operator/model/cluster_objects.h"
#include "operator/runtime/applier.h"
#include "operator/runtime/conditions.h"
#include "operator/runtime/finalizers.h"

namespace kop::controllers {
namespace {

namespace v1 = api::v1alpha1;
using common::Result;
using runtime::Outcome;

// Never an empty message: the v1.20 API server turns "" into null and refuses it as not a string.
constexpr const char* kNoProblems = "no problems found";

struct KindInfo {
    const char* plural;
    bool namespaced;
};

const std::map<std::string, KindInfo>& kinds() {
    static const std::map<std::string, KindInfo> kKinds = {
        {"ServiceAccount", {"serviceaccounts", true}},
        {"ConfigMap", {"configmaps", true}},
        {"Service", {"services", true}},
        {"Secret", {"secrets", true}},
        {"StatefulSet", {"statefulsets", true}},
        {"PodDisruptionBudget", {"poddisruptionbudgets", true}},
        {"NetworkPolicy", {"networkpolicies", true}},
        {"Role", {"roles", true}},
        {"RoleBinding", {"rolebindings", true}},
        {"ClusterRole", {"clusterroles", false}},
        {"ClusterRoleBinding", {"clusterrolebindings", false}},
    };
    return kKinds;
}

std::string broker_selector(const v1::KafkaCluster& c) {
    return "app.kubernetes.io/name=tributary,app.kubernetes.io/instance=" + c.metadata.name +
           ",app.kubernetes.io/component=" + model::kComponentBroker;
}

Result<void> ignore_not_found(Result<void> r) {
    if (!r && r.error() != kube::Errc::NotFound) return r.error();
    return common::ok();
}

// Sets the three conditions; returns the status JSON to store.
void set_conditions(Json& status, int64_t generation, const runtime::Condition& ready,
                    const runtime::Condition& reconciling, const runtime::Condition& degraded,
                    const std::string& now) {
    Json conditions = status.value("conditions", Json::array());
    for (runtime::Condition c : {ready, reconciling, degraded}) {
        c.observed_generation = generation;
        runtime::set_condition(conditions, c, now);
    }
    status["conditions"] = std::move(conditions);
    status["observedGeneration"] = generation;
}

// Names the object an apply failed on (the error alone does not), then passes the result on.
Result<runtime::ApplyResult> log_failure(Result<runtime::ApplyResult> result, const Json& object) {
    if (!result) {
        common::log::get("kafkacluster")
            ->warn("apply {} {}/{}: {}", object.value("kind", ""),
                   object["metadata"].value("namespace", ""), object["metadata"].value("name", ""),
                   result.error().message());
    }
    return result;
}

}  // namespace

kube::Gvr kafka_clusters_gvr() {
    return kube::Gvr{v1::kGroup, v1::kVersion, "kafkaclusters"};
}

Result<kube::Gvr> gvr_of(const Json& object) {
    std::string api_version = object.value("apiVersion", "");
    auto it = kinds().find(object.value("kind", ""));
    if (it == kinds().end() || api_version.empty()) return common::Errc::InvalidArgument;
    auto slash = api_version.find('/');
    std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
    std::string version = slash == std::string::npos ? api_version : api_version.substr(slash + 1);
    return kube::Gvr{group, version, it->second.plural, it->second.namespaced};
}

KafkaClusterReconciler::KafkaClusterReconciler(kube::KubeClient& client, Options options)
    : client_(client), options_(std::move(options)) {
    if (!options_.now) options_.now = [] { return runtime::now_rfc3339(); };
}

Result<model::Observed> KafkaClusterReconciler::discover() {
    model::Observed observed = options_.defaults;
    TRIBUTARY_TRY(policy_v1, kube::serves(client_, "policy/v1", "poddisruptionbudgets"));
    observed.policy_v1 = policy_v1;
    // A server that does not know a field drops it, and the applier would then patch on every
    // pass; claims are deleted by the finalizer instead, which works on every version.
    observed.pvc_retention_policy = false;
    return observed;
}

Result<Outcome> KafkaClusterReconciler::finalize(const Json& object) {
    if (!runtime::has_finalizer(object, kClusterFinalizer)) return Outcome::done();
    v1::FieldErrors errors;
    v1::KafkaCluster cluster = v1::decode_kafka_cluster(object, errors);
    const std::string role = model::cluster_role_name(cluster);
    const kube::Gvr rbac_binding{"rbac.authorization.k8s.io", "v1", "clusterrolebindings", false};
    const kube::Gvr rbac_role{"rbac.authorization.k8s.io", "v1", "clusterroles", false};
    TRIBUTARY_TRY(ignore_not_found(client_.remove(rbac_binding, "", role)));
    TRIBUTARY_TRY(ignore_not_found(client_.remove(rbac_role, "", role)));
    if (cluster.spec.storage.delete_claim) {
        const kube::Gvr claims = kube::core_v1("persistentvolumeclaims");
        kube::ListOptions opts;
        opts.label_selector = broker_selector(cluster);
        TRIBUTARY_TRY(list, client_.list(claims, cluster.metadata.namespace_, opts));
        for (const auto& pvc : list.value("items", Json::array())) {
            std::string name = pvc["metadata"].value("name", "");
            TRIBUTARY_TRY(
                ignore_not_found(client_.remove(claims, cluster.metadata.namespace_, name)));
        }
    }
    TRIBUTARY_TRY(
        runtime::release_finalizer(client_, kafka_clusters_gvr(), object, kClusterFinalizer));
    return Outcome::done();
}

Result<Outcome> KafkaClusterReconciler::reconcile(const runtime::ObjectKey& key) {
    auto got = client_.get(kafka_clusters_gvr(), key.ns, key.name);
    if (!got) {
        if (got.error() == kube::Errc::NotFound) return Outcome::done();
        return got.error();
    }
    Json object = std::move(got.value());
    if (runtime::is_deleting(object)) return finalize(object);
    TRIBUTARY_TRY(with_finalizer, runtime::ensure_finalizer(client_, kafka_clusters_gvr(), object,
                                                            kClusterFinalizer));
    object = with_finalizer;

    v1::FieldErrors errors;
    v1::KafkaCluster cluster = v1::decode_kafka_cluster(object, errors);
    for (auto& e : v1::validate(cluster)) errors.push_back(std::move(e));
    const int64_t generation = cluster.metadata.generation;
    const std::string now = options_.now();
    Json status = object.value("status", Json::object());
    if (!errors.empty()) {
        std::string message = v1::to_string(errors);
        set_conditions(status, generation, {"Ready", "False", kReasonInvalidSpec, message},
                       {"Reconciling", "False", kReasonInvalidSpec, message},
                       {"Degraded", "True", kReasonInvalidSpec, message}, now);
        TRIBUTARY_TRY(write_status(object, status));
        return Outcome::terminal();
    }

    TRIBUTARY_TRY(observed, discover());
    ObservedCluster seen;
    TRIBUTARY_TRY(apply_all(cluster, object, observed, seen));
    seen.config_hash = model::config_hash(cluster, observed);
    kube::ListOptions pods;
    pods.label_selector = broker_selector(cluster);
    TRIBUTARY_TRY(pod_list, client_.list(kube::core_v1("pods"), key.ns, pods));
    for (auto& pod : pod_list["items"]) seen.pods.push_back(std::move(pod));
    if (cluster.spec.rack) seen.pod_racks = pod_racks(seen.pods, cluster.spec.rack->topology_key);

    Json next = v1::to_json(observe_status(cluster, seen));
    next["conditions"] = status.value("conditions", Json::array());
    const bool ready = cluster_ready(cluster, seen);
    if (ready) {
        set_conditions(next, generation, {"Ready", "True", kReasonReady, "all brokers are ready"},
                       {"Reconciling", "False", kReasonReady, "nothing left to do"},
                       {"Degraded", "False", kReasonAsExpected, kNoProblems}, now);
    } else {
        std::string why = seen.pods.empty() ? kReasonCreating : kReasonBrokersNotReady;
        std::string message = std::to_string(next["readyBrokers"].get<int>()) + "/" +
                              std::to_string(cluster.spec.replicas) + " brokers ready";
        set_conditions(next, generation, {"Ready", "False", why, message},
                       {"Reconciling", "True", why, message},
                       {"Degraded", "False", kReasonAsExpected, kNoProblems}, now);
    }
    TRIBUTARY_TRY(write_status(object, next));
    if (ready) return Outcome::done();
    return Outcome::requeue_after(options_.requeue_while_progressing);
}

Result<void> KafkaClusterReconciler::apply_all(const v1::KafkaCluster& cluster, const Json& owner,
                                               const model::Observed& observed,
                                               ObservedCluster& seen) {
    runtime::Applier applier(client_);
    model::ClusterObjects objects = model::render_cluster_objects(cluster, observed);
    for (const auto& object : objects.cluster_scoped) {
        TRIBUTARY_TRY(gvr, gvr_of(object));
        TRIBUTARY_TRY(log_failure(applier.apply(gvr, object, nullptr), object));
    }
    for (const auto& object : objects.namespaced) {
        TRIBUTARY_TRY(gvr, gvr_of(object));
        TRIBUTARY_TRY(applied, log_failure(applier.apply(gvr, object, &owner), object));
        if (object["kind"] == "Service") seen.services.push_back(applied.object);
        if (object["kind"] == "StatefulSet") seen.stateful_set = applied.object;
    }
    return common::ok();
}

std::map<std::string, std::string> KafkaClusterReconciler::pod_racks(const std::vector<Json>& pods,
                                                                     const std::string& label) {
    std::map<std::string, std::string> racks;
    std::map<std::string, std::string> node_racks;  // one GET per node per pass
    for (const auto& pod : pods) {
        std::string node = pod.value("spec", Json::object()).value("nodeName", "");
        if (node.empty()) continue;
        if (node_racks.count(node) == 0) {
            auto got = client_.get(kube::core_v1("nodes", false), "", node);
            node_racks[node] =
                got ? got.value()["metadata"].value("labels", Json::object()).value(label, "") : "";
        }
        if (!node_racks[node].empty()) racks[pod["metadata"].value("name", "")] = node_racks[node];
    }
    return racks;
}

Result<void> KafkaClusterReconciler::write_status(const Json& object, const Json& status) {
    if (object.value("status", Json::object()) == status) return common::ok();
    Json updated = object;
    updated["status"] = status;
    auto written = client_.update_status(kafka_clusters_gvr(),
                                         updated["metadata"].value("namespace", ""), updated);
    if (!written) {
        common::log::get("kafkacluster")
            ->warn("status of {}/{}: {}", updated["metadata"].value("namespace", ""),
                   updated["metadata"].value("name", ""), written.error().message());
        return written.error();
    }
    return common::ok();
}

}  // namespace kop::controllers
