#include "operator/api/v1alpha1/kafka_cluster.h"

namespace kop::api::v1alpha1 {
namespace {

void decode_storage(FieldReader& r, const Json& spec, Storage& out) {
    const Json* s = r.object(spec, "storage", "spec");
    if (s == nullptr) return;
    const std::string p = "spec.storage";
    r.string(*s, "type", p, out.type);
    r.string(*s, "size", p, out.size);
    r.string(*s, "class", p, out.storage_class);
    r.boolean(*s, "deleteClaim", p, out.delete_claim);
}

void decode_listeners(FieldReader& r, const Json& spec, std::vector<Listener>& out) {
    const Json* list = r.array(spec, "listeners", "spec");
    if (list == nullptr) return;
    for (size_t i = 0; i < list->size(); ++i) {
        const Json& item = (*list)[i];
        std::string p = index_path("spec.listeners", i);
        if (!item.is_object()) {
            r.error(p, "must be an object");
            continue;
        }
        Listener l;
        r.string(item, "name", p, l.name);
        r.int32(item, "port", p, l.port);
        r.string(item, "type", p, l.type);
        r.boolean(item, "tls", p, l.tls);
        if (const Json* auth = r.object(item, "authentication", p)) {
            r.string(*auth, "type", field_path(p, "authentication"), l.authentication);
        }
        out.push_back(std::move(l));
    }
}

void decode_template(FieldReader& r, const Json& spec, PodTemplate& out) {
    const Json* t = r.object(spec, "template", "spec");
    if (t == nullptr) return;
    const Json* pod = r.object(*t, "pod", "spec.template");
    if (pod == nullptr) return;
    const std::string p = "spec.template.pod";
    r.string_map(*pod, "labels", p, out.labels);
    r.string_map(*pod, "annotations", p, out.annotations);
    r.raw_array(*pod, "tolerations", p, out.tolerations);
    r.raw_object(*pod, "affinity", p, out.affinity);
    r.raw_array(*pod, "topologySpreadConstraints", p, out.topology_spread_constraints);
    r.string(*pod, "priorityClassName", p, out.priority_class_name);
}

void decode_spec(FieldReader& r, const Json& spec, KafkaClusterSpec& out) {
    r.int32(spec, "replicas", "spec", out.replicas);
    r.string(spec, "image", "spec", out.image);
    r.raw_object(spec, "resources", "spec", out.resources);
    decode_storage(r, spec, out.storage);
    if (const Json* rack = r.object(spec, "rack", "spec")) {
        out.rack.emplace();
        r.string(*rack, "topologyKey", "spec.rack", out.rack->topology_key);
    }
    decode_listeners(r, spec, out.listeners);
    if (const Json* authz = r.object(spec, "authorization", "spec")) {
        out.authorization.emplace();
        r.string(*authz, "type", "spec.authorization", out.authorization->type);
        r.string_list(*authz, "superUsers", "spec.authorization", out.authorization->super_users);
    }
    r.scalar_map(spec, "config", "spec", out.config);
    decode_template(r, spec, out.pod_template);
    if (const Json* metrics = r.object(spec, "metrics", "spec")) {
        r.boolean(*metrics, "enabled", "spec.metrics", out.metrics.enabled);
    }
}

void decode_status(FieldReader& r, const Json& status, KafkaClusterStatus& out) {
    const std::string p = "status";
    decode(r, status, p, out.conditions);
    r.int64(status, "observedGeneration", p, out.observed_generation);
    r.int32(status, "readyBrokers", p, out.ready_brokers);
    r.string(status, "clusterId", p, out.cluster_id);
    if (const Json* brokers = r.array(status, "brokers", p)) {
        for (size_t i = 0; i < brokers->size(); ++i) {
            std::string bp = index_path("status.brokers", i);
            BrokerStatus b;
            r.int32((*brokers)[i], "id", bp, b.id);
            r.string((*brokers)[i], "pod", bp, b.pod);
            r.string((*brokers)[i], "rack", bp, b.rack);
            r.boolean((*brokers)[i], "ready", bp, b.ready);
            out.brokers.push_back(std::move(b));
        }
    }
    if (const Json* listeners = r.array(status, "listeners", p)) {
        for (size_t i = 0; i < listeners->size(); ++i) {
            std::string lp = index_path("status.listeners", i);
            ListenerStatus l;
            r.string((*listeners)[i], "name", lp, l.name);
            r.string((*listeners)[i], "bootstrap", lp, l.bootstrap);
            out.listeners.push_back(std::move(l));
        }
    }
}

Json listener_json(const Listener& l) {
    Json j = {{"name", l.name}, {"port", l.port}, {"type", l.type}};
    if (l.tls) j["tls"] = true;
    if (!l.authentication.empty()) j["authentication"] = {{"type", l.authentication}};
    return j;
}

Json template_json(const PodTemplate& t) {
    Json pod = Json::object();
    put_map(pod, "labels", t.labels);
    put_map(pod, "annotations", t.annotations);
    put_raw(pod, "tolerations", t.tolerations);
    put_raw(pod, "affinity", t.affinity);
    put_raw(pod, "topologySpreadConstraints", t.topology_spread_constraints);
    put_string(pod, "priorityClassName", t.priority_class_name);
    return pod;
}

}  // namespace

KafkaCluster decode_kafka_cluster(const Json& j, FieldErrors& errors) {
    FieldReader r(errors);
    KafkaCluster out;
    if (!j.is_object()) {
        r.error("", "must be a JSON object");
        return out;
    }
    if (const Json* meta = r.object(j, "metadata", "")) decode(r, *meta, "metadata", out.metadata);
    if (const Json* spec = r.object(j, "spec", "")) decode_spec(r, *spec, out.spec);
    if (const Json* status = r.object(j, "status", "")) decode_status(r, *status, out.status);
    return out;
}

Json to_json(const KafkaClusterSpec& spec) {
    Json j = Json::object();
    j["replicas"] = spec.replicas;
    put_string(j, "image", spec.image);
    put_raw(j, "resources", spec.resources);
    Json storage = {{"type", spec.storage.type}};
    put_string(storage, "size", spec.storage.size);
    put_string(storage, "class", spec.storage.storage_class);
    if (spec.storage.delete_claim) storage["deleteClaim"] = true;
    j["storage"] = std::move(storage);
    if (spec.rack) j["rack"] = {{"topologyKey", spec.rack->topology_key}};
    Json listeners = Json::array();
    for (const auto& l : spec.listeners) listeners.push_back(listener_json(l));
    j["listeners"] = std::move(listeners);
    if (spec.authorization) {
        Json a = {{"type", spec.authorization->type}};
        put_list(a, "superUsers", spec.authorization->super_users);
        j["authorization"] = std::move(a);
    }
    put_map(j, "config", spec.config);
    Json pod = template_json(spec.pod_template);
    if (!pod.empty()) j["template"] = {{"pod", std::move(pod)}};
    if (spec.metrics.enabled) j["metrics"] = {{"enabled", true}};
    return j;
}

Json to_json(const KafkaClusterStatus& status) {
    Json j = Json::object();
    if (!status.conditions.empty()) j["conditions"] = encode(status.conditions);
    if (status.observed_generation != 0) j["observedGeneration"] = status.observed_generation;
    j["readyBrokers"] = status.ready_brokers;
    if (!status.brokers.empty()) {
        Json brokers = Json::array();
        for (const auto& b : status.brokers) {
            Json bj = {{"id", b.id}, {"pod", b.pod}, {"ready", b.ready}};
            put_string(bj, "rack", b.rack);
            brokers.push_back(std::move(bj));
        }
        j["brokers"] = std::move(brokers);
    }
    if (!status.listeners.empty()) {
        Json listeners = Json::array();
        for (const auto& l : status.listeners) {
            Json lj = {{"name", l.name}};
            put_string(lj, "bootstrap", l.bootstrap);
            listeners.push_back(std::move(lj));
        }
        j["listeners"] = std::move(listeners);
    }
    put_string(j, "clusterId", status.cluster_id);
    return j;
}

Json to_json(const KafkaCluster& cluster) {
    return Json{{"apiVersion", kApiVersion},
                {"kind", kKafkaClusterKind},
                {"metadata", encode(cluster.metadata)},
                {"spec", to_json(cluster.spec)},
                {"status", to_json(cluster.status)}};
}

}  // namespace kop::api::v1alpha1
