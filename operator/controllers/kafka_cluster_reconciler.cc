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
#include "operator/runtime/owner.h"

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

std::map<std::string, std::string> broker_labels(const v1::KafkaCluster& c) {
    return {{"app.kubernetes.io/name", "tributary"},
            {"app.kubernetes.io/instance", c.metadata.name},
            {"app.kubernetes.io/component", model::kComponentBroker}};
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

std::string below_voters_message(const v1::KafkaCluster& cluster, int voters) {
    return "spec.replicas " + std::to_string(cluster.spec.replicas) + " is below the cluster's " +
           std::to_string(voters) + " controller voters (pods 0-" + std::to_string(voters - 1) +
           "): the voters are fixed when the cluster is created, and removing one would take the "
           "controller quorum's majority; nothing was changed";
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

KafkaClusterReconciler::KafkaClusterReconciler(kube::KubeClient& client, ReadCaches caches,
                                               std::shared_ptr<DiscoveryCache> discovery,
                                               Options options)
    : client_(client),
      caches_(std::move(caches)),
      discovery_(std::move(discovery)),
      options_(std::move(options)) {
    if (!options_.now) options_.now = [] { return runtime::now_rfc3339(); };
}

Result<model::Observed> KafkaClusterReconciler::discover() {
    model::Observed observed = options_.defaults;
    TRIBUTARY_TRY(policy_v1, discovery_->policy_v1());
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
    const kube::Gvr claims = kube::core_v1("persistentvolumeclaims");
    auto claim_cache = caches_.find(claims);
    if (cluster.spec.storage.delete_claim && claim_cache != nullptr) {
        for (const auto& pvc : claim_cache->list(cluster.metadata.namespace_)) {
            if (!has_labels(pvc, broker_labels(cluster))) continue;
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
    auto cached = caches_.get(kafka_clusters_gvr(), key.ns, key.name);
    if (!cached) return Outcome::done();
    Json object = std::move(*cached);
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
    observed.controller_voters = existing_voter_count(cluster);
    if (cluster.spec.replicas < observed.controller_voters) {
        return refuse_scale_down(object, cluster, kReasonScaleDownRefused,
                                 below_voters_message(cluster, observed.controller_voters),
                                 Outcome::terminal());
    }
    if (auto blocker = scale_down_blocker(cluster); !blocker.empty()) {
        return refuse_scale_down(object, cluster, kReasonScaleDownBlocked, blocker,
                                 Outcome::requeue_after(options_.requeue_while_scale_down_blocked));
    }
    ObservedCluster seen;
    TRIBUTARY_TRY(apply_all(cluster, object, observed, seen));
    seen.config_hash = model::config_hash(cluster, observed);
    seen.pods = broker_pods(seen.stateful_set);
    if (cluster.spec.rack) seen.pod_racks = pod_racks(seen.pods, cluster.spec.rack->topology_key);
    const ClusterIdResult id = read_cluster_id(cluster, object, seen);

    Json next = v1::to_json(observe_status(cluster, seen));
    if (!id.id.empty()) next["clusterId"] = id.id;
    next["conditions"] = status.value("conditions", Json::array());
    const runtime::Condition degraded =
        id.mismatch ? runtime::Condition{"Degraded", "True", kReasonClusterIdMismatch, id.note}
                    : runtime::Condition{"Degraded", "False", kReasonAsExpected, kNoProblems};
    const std::string note = id.note.empty() || id.mismatch ? "" : "; " + id.note;
    const bool ready = cluster_ready(cluster, seen);
    if (ready) {
        set_conditions(next, generation,
                       {"Ready", "True", kReasonReady, "all brokers are ready" + note},
                       {"Reconciling", "False", kReasonReady, "nothing left to do"}, degraded, now);
    } else {
        std::string why = seen.pods.empty() ? kReasonCreating : kReasonBrokersNotReady;
        std::string message = std::to_string(next["readyBrokers"].get<int>()) + "/" +
                              std::to_string(cluster.spec.replicas) + " brokers ready" + note;
        set_conditions(next, generation, {"Ready", "False", why, message},
                       {"Reconciling", "True", why, message}, degraded, now);
    }
    TRIBUTARY_TRY(write_status(object, next));
    if (!ready) return Outcome::requeue_after(options_.requeue_while_progressing);
    if (!id.note.empty() && !id.mismatch) {
        return Outcome::requeue_after(options_.requeue_for_cluster_id);
    }
    return Outcome::done();
}

int KafkaClusterReconciler::existing_voter_count(const v1::KafkaCluster& cluster) const {
    auto config_map = caches_.get(kube::core_v1("configmaps"), cluster.metadata.namespace_,
                                  model::config_map_name(cluster));
    if (!config_map) return 0;
    const Json data = config_map->value("data", Json::object());
    const auto properties = data.find(model::kPropertiesKey);
    if (properties == data.end() || !properties->is_string()) return 0;
    return model::rendered_voter_count(properties->get<std::string>());
}

std::string KafkaClusterReconciler::scale_down_blocker(const v1::KafkaCluster& cluster) const {
    if (options_.replica_holders == nullptr) return "";
    auto set = caches_.get(kube::Gvr{"apps", "v1", "statefulsets"}, cluster.metadata.namespace_,
                           model::stateful_set_name(cluster));
    if (!set) return "";
    const int32_t current = set->value("spec", Json::object()).value("replicas", 0);
    if (cluster.spec.replicas >= current) return "";
    const std::string removed = current - cluster.spec.replicas == 1
                                    ? "broker " + std::to_string(current - 1) + " holds"
                                    : "brokers " + std::to_string(cluster.spec.replicas) + "-" +
                                          std::to_string(current - 1) + " hold";
    const std::string wait = "scaling from " + std::to_string(current) + " to " +
                             std::to_string(cluster.spec.replicas) + " brokers waits: ";
    const std::vector<std::string> addresses = broker_addresses(cluster, broker_pods(*set));
    if (addresses.empty()) {
        return wait + "no ready broker answers on a plaintext internal listener to tell whether " +
               removed + " partition replicas";
    }
    auto counts = options_.replica_holders->read(addresses);
    if (!counts) {
        return wait + "no broker told whether " + removed + " partition replicas (" +
               counts.error().message() + ")";
    }
    const std::string holders = removed_replica_holders(counts.value(), cluster.spec.replicas);
    if (holders.empty()) return "";
    return wait + "brokers it would remove still hold partition replicas: " + holders +
           "; nothing moves replicas off a broker yet, so delete the topics they hold replicas of "
           "or keep spec.replicas at " +
           std::to_string(current);
}

Result<Outcome> KafkaClusterReconciler::refuse_scale_down(const Json& object,
                                                          const v1::KafkaCluster& cluster,
                                                          const std::string& reason,
                                                          const std::string& message,
                                                          Outcome outcome) {
    Json status = object.value("status", Json::object());
    set_conditions(status, cluster.metadata.generation, {"Ready", "False", reason, message},
                   {"Reconciling", "False", reason, message}, {"Degraded", "True", reason, message},
                   options_.now());
    if (options_.events != nullptr) {
        auto recorded = options_.events->record(object, "Warning", reason, message);
        if (!recorded) {
            common::log::get("kafkacluster")
                ->warn("event for {}/{}: {}", cluster.metadata.namespace_, cluster.metadata.name,
                       recorded.error().message());
        }
    }
    TRIBUTARY_TRY(write_status(object, status));
    return outcome;
}

Result<void> KafkaClusterReconciler::apply_all(const v1::KafkaCluster& cluster, const Json& owner,
                                               const model::Observed& observed,
                                               ObservedCluster& seen) {
    model::ClusterObjects objects = model::render_cluster_objects(cluster, observed);
    for (const auto& object : objects.cluster_scoped) {
        TRIBUTARY_TRY(gvr, gvr_of(object));
        TRIBUTARY_TRY(log_failure(apply_one(gvr, object, nullptr), object));
    }
    for (const auto& object : objects.namespaced) {
        TRIBUTARY_TRY(gvr, gvr_of(object));
        TRIBUTARY_TRY(applied, log_failure(apply_one(gvr, object, &owner), object));
        if (object["kind"] == "Service") seen.services.push_back(applied.object);
        if (object["kind"] == "StatefulSet") seen.stateful_set = applied.object;
    }
    return common::ok();
}

Result<runtime::ApplyResult> KafkaClusterReconciler::apply_one(const kube::Gvr& gvr,
                                                               const Json& desired,
                                                               const Json* owner) {
    auto result = apply_against_cache(gvr, desired, owner);
    // A kind chosen by discovery that the server no longer serves: ask discovery again.
    if (!result && result.error() == kube::Errc::NotFound &&
        gvr.resource == "poddisruptionbudgets") {
        discovery_->invalidate();
    }
    return result;
}

Result<runtime::ApplyResult> KafkaClusterReconciler::apply_against_cache(const kube::Gvr& gvr,
                                                                         const Json& desired,
                                                                         const Json* owner) {
    runtime::Applier applier(client_);
    auto cache = caches_.find(gvr);
    // A type the caches do not hold (discovery changed since start): the applier reads it.
    if (cache == nullptr) return applier.apply(gvr, desired, owner);
    if (auto live = cache->get(runtime::key_of(desired))) {
        return applier.apply(gvr, desired, owner, &*live);
    }
    Json object = desired;
    if (owner != nullptr) runtime::set_owner(object, runtime::owner_ref_of(*owner));
    auto created = client_.create(gvr, runtime::key_of(object).ns, object);
    if (created) return runtime::ApplyResult{runtime::ApplyAction::Created, created.value()};
    if (created.error() != kube::Errc::AlreadyExists) return created.error();
    // The cache has not seen it yet: compare with the server's copy instead.
    return applier.apply(gvr, desired, owner);
}

std::vector<Json> KafkaClusterReconciler::broker_pods(const Json& stateful_set) const {
    auto pods = caches_.find(kube::core_v1("pods"));
    if (pods == nullptr || stateful_set.is_null()) return {};
    return pods->by_owner(runtime::meta_string(stateful_set, "uid"));
}

std::map<std::string, std::string> KafkaClusterReconciler::pod_racks(
    const std::vector<Json>& pods, const std::string& label) const {
    std::map<std::string, std::string> racks;
    for (const auto& pod : pods) {
        std::string node = pod.value("spec", Json::object()).value("nodeName", "");
        if (node.empty()) continue;
        auto got = caches_.get(kube::core_v1("nodes", false), "", node);
        std::string rack = got ? got->value("metadata", Json::object())
                                     .value("labels", Json::object())
                                     .value(label, "")
                               : "";
        if (!rack.empty()) racks[runtime::meta_string(pod, "name")] = rack;
    }
    return racks;
}

KafkaClusterReconciler::ClusterIdResult KafkaClusterReconciler::read_cluster_id(
    const v1::KafkaCluster& cluster, const Json& object, const ObservedCluster& seen) {
    ClusterIdResult out{cluster.status.cluster_id, "", false};
    if (options_.cluster_ids == nullptr) return out;
    const std::vector<std::string> addresses = broker_addresses(cluster, seen.pods);
    if (addresses.empty()) return out;  // no ready broker yet: nothing to ask
    auto read = options_.cluster_ids->read(addresses);
    if (!read) {
        out.note = "cluster id not read: no broker answered DescribeCluster (" +
                   read.error().message() + ")";
        common::log::get("kafkacluster")
            ->info("{}/{}: {}", cluster.metadata.namespace_, cluster.metadata.name, out.note);
        return out;
    }
    if (out.id.empty() || out.id == read.value()) {
        out.id = read.value();
        return out;
    }
    // Kept, not overwritten: brokers with another id run on other data (or another cluster).
    out.mismatch = true;
    out.note = "brokers report cluster id " + read.value() + " but status holds " + out.id;
    std::lock_guard lock(mu_);
    if (options_.events != nullptr &&
        mismatches_reported_.insert(cluster.metadata.uid + "/" + read.value()).second) {
        auto recorded =
            options_.events->record(object, "Warning", kReasonClusterIdMismatch, out.note);
        if (!recorded) {
            mismatches_reported_.erase(cluster.metadata.uid + "/" + read.value());
        }
    }
    return out;
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
