#include "operator/model/stateful_set.h"

#include <string>

#include "operator/model/broker_config.h"

namespace kop::model {
namespace {

using api::v1alpha1::Listener;

Json field_env(const char* name, const char* field_path) {
    return Json{{"name", name}, {"valueFrom", {{"fieldRef", {{"fieldPath", field_path}}}}}};
}

Json pod_env() {
    return Json::array(
        {field_env("POD_NAME", "metadata.name"), field_env("POD_NAMESPACE", "metadata.namespace"),
         field_env("POD_IP", "status.podIP"), field_env("NODE_NAME", "spec.nodeName")});
}

Json mount(const std::string& name, const std::string& path, bool read_only) {
    Json m = {{"name", name}, {"mountPath", path}};
    if (read_only) m["readOnly"] = true;
    return m;
}

Json container_security() {
    return Json{{"allowPrivilegeEscalation", false},
                {"readOnlyRootFilesystem", true},
                {"capabilities", {{"drop", Json::array({"ALL"})}}}};
}

Json init_container(const KafkaCluster& c, const Observed& observed) {
    return Json{{"name", "broker-init"},
                {"image", observed.operator_image},
                {"command", Json::array({"tributary-operator", "broker-init"})},
                {"args", Json::array({"--template", std::string(kConfigDir) + "/" + kPropertiesKey,
                                      "--out", std::string(kRuntimeDir) + "/" + kPropertiesKey,
                                      "--cluster", c.metadata.name})},
                {"env", pod_env()},
                {"volumeMounts", Json::array({mount("config", kConfigDir, true),
                                              mount("runtime", kRuntimeDir, false)})},
                {"securityContext", container_security()}};
}

Json container_port(const std::string& name, int32_t port) {
    return Json{{"name", name}, {"containerPort", port}, {"protocol", "TCP"}};
}

Json http_probe(const char* path, int period, int failures) {
    return Json{{"httpGet", {{"path", path}, {"port", "admin"}}},
                {"periodSeconds", period},
                {"failureThreshold", failures},
                {"timeoutSeconds", 5}};
}

Json broker_container(const KafkaCluster& c, const Observed& observed) {
    Json ports = Json::array({container_port("controller", api::v1alpha1::kControllerPort),
                              container_port("replication", api::v1alpha1::kReplicationPort),
                              container_port("admin", api::v1alpha1::kAdminPort)});
    Json mounts =
        Json::array({mount("data", kDataDir, false), mount("runtime", kRuntimeDir, true)});
    for (const Listener& l : c.spec.listeners) {
        ports.push_back(container_port(l.name, l.port));
        if (l.tls)
            mounts.push_back(mount("tls-" + l.name, std::string(kTlsDir) + "/" + l.name, true));
    }
    Json container = {
        {"name", "broker"},
        {"image", c.spec.image.empty() ? observed.default_broker_image : c.spec.image},
        {"command", Json::array({"tributary-broker"})},
        {"args", Json::array({"--config", std::string(kRuntimeDir) + "/" + kPropertiesKey})},
        {"env", pod_env()},
        {"ports", std::move(ports)},
        {"volumeMounts", std::move(mounts)},
        {"readinessProbe", http_probe(kReadinessPath, 10, 3)},
        {"livenessProbe", http_probe(kLivenessPath, 10, 6)},
        {"startupProbe", http_probe(kLivenessPath, 5, 120)},
        {"lifecycle", {{"preStop", {{"httpGet", {{"path", kDrainPath}, {"port", "admin"}}}}}}},
        {"securityContext", container_security()}};
    if (!c.spec.resources.is_null()) container["resources"] = c.spec.resources;
    return container;
}

Json volumes(const KafkaCluster& c) {
    Json out = Json::array(
        {Json{{"name", "config"}, {"configMap", {{"name", config_map_name(c)}}}},
         Json{{"name", "runtime"}, {"emptyDir", {{"medium", "Memory"}, {"sizeLimit", "1Mi"}}}}});
    if (c.spec.storage.type == api::v1alpha1::kStorageEphemeral) {
        Json empty = Json::object();
        if (!c.spec.storage.size.empty()) empty["sizeLimit"] = c.spec.storage.size;
        out.push_back(Json{{"name", "data"}, {"emptyDir", std::move(empty)}});
    }
    for (const Listener& l : c.spec.listeners) {
        if (!l.tls) continue;
        out.push_back(Json{{"name", "tls-" + l.name},
                           {"secret", {{"secretName", tls_secret_name(c, l.name)}}}});
    }
    return out;
}

Json spread_constraints(const KafkaCluster& c) {
    Json selector = {{"matchLabels", selector_labels(c, kComponentBroker)}};
    Json out = Json::array();
    if (c.spec.rack) {
        out.push_back(Json{{"maxSkew", 1},
                           {"topologyKey", c.spec.rack->topology_key},
                           {"whenUnsatisfiable", "DoNotSchedule"},
                           {"labelSelector", selector}});
    }
    out.push_back(Json{{"maxSkew", 1},
                       {"topologyKey", "kubernetes.io/hostname"},
                       {"whenUnsatisfiable", "ScheduleAnyway"},
                       {"labelSelector", selector}});
    const Json& extra = c.spec.pod_template.topology_spread_constraints;
    if (extra.is_array()) {
        for (const auto& item : extra) out.push_back(item);
    }
    return out;
}

Json pod_metadata(const KafkaCluster& c, const Observed& observed) {
    const auto& t = c.spec.pod_template;
    Json labels = common_labels(c, kComponentBroker);
    for (const auto& [k, v] : t.labels) {
        if (!labels.contains(k)) labels[k] = v;
    }
    Json annotations = Json::object();
    for (const auto& [k, v] : t.annotations) annotations[k] = v;
    if (c.spec.metrics.enabled) {
        annotations["prometheus.io/scrape"] = "true";
        annotations["prometheus.io/port"] = std::to_string(api::v1alpha1::kAdminPort);
        annotations["prometheus.io/path"] = "/metrics";
    }
    annotations[kConfigHashAnnotation] = config_hash(c, observed);
    return Json{{"labels", std::move(labels)}, {"annotations", std::move(annotations)}};
}

Json claim_templates(const KafkaCluster& c) {
    Json spec = {{"accessModes", Json::array({"ReadWriteOnce"})},
                 {"resources", {{"requests", {{"storage", c.spec.storage.size}}}}}};
    if (!c.spec.storage.storage_class.empty()) {
        spec["storageClassName"] = c.spec.storage.storage_class;
    }
    return Json::array(
        {Json{{"metadata", {{"name", "data"}, {"labels", common_labels(c, kComponentBroker)}}},
              {"spec", std::move(spec)}}});
}

}  // namespace

Json render_pod_template(const KafkaCluster& c, const Observed& observed) {
    const auto& t = c.spec.pod_template;
    Json spec = {{"serviceAccountName", service_account_name(c)},
                 {"terminationGracePeriodSeconds", kTerminationGraceSeconds},
                 {"securityContext",
                  {{"runAsNonRoot", true},
                   {"runAsUser", kBrokerUid},
                   {"runAsGroup", kBrokerUid},
                   {"fsGroup", kBrokerUid}}},
                 {"initContainers", Json::array({init_container(c, observed)})},
                 {"containers", Json::array({broker_container(c, observed)})},
                 {"volumes", volumes(c)},
                 {"topologySpreadConstraints", spread_constraints(c)}};
    if (!t.priority_class_name.empty()) spec["priorityClassName"] = t.priority_class_name;
    if (!t.tolerations.is_null()) spec["tolerations"] = t.tolerations;
    if (!t.affinity.is_null()) spec["affinity"] = t.affinity;
    return Json{{"metadata", pod_metadata(c, observed)}, {"spec", std::move(spec)}};
}

Json render_stateful_set(const KafkaCluster& c, const Observed& observed) {
    Json spec = {{"replicas", c.spec.replicas},
                 {"serviceName", headless_service_name(c)},
                 {"podManagementPolicy", "Parallel"},
                 {"updateStrategy", {{"type", "OnDelete"}}},
                 {"selector", {{"matchLabels", selector_labels(c, kComponentBroker)}}},
                 {"template", render_pod_template(c, observed)}};
    if (c.spec.storage.type == api::v1alpha1::kStoragePersistentClaim) {
        spec["volumeClaimTemplates"] = claim_templates(c);
        if (observed.pvc_retention_policy) {
            spec["persistentVolumeClaimRetentionPolicy"] = {
                {"whenDeleted", c.spec.storage.delete_claim ? "Delete" : "Retain"},
                {"whenScaled", "Retain"}};
        }
    }
    return Json{{"apiVersion", "apps/v1"},
                {"kind", "StatefulSet"},
                {"metadata", owned_metadata(c, stateful_set_name(c), kComponentBroker)},
                {"spec", std::move(spec)}};
}

}  // namespace kop::model
