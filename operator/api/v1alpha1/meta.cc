#include "operator/api/v1alpha1/meta.h"

#include <regex>

namespace kop::api::v1alpha1 {

void decode(FieldReader& r, const Json& j, const std::string& path, ObjectMeta& out) {
    r.string(j, "name", path, out.name);
    r.string(j, "namespace", path, out.namespace_);
    r.string(j, "uid", path, out.uid);
    r.string(j, "resourceVersion", path, out.resource_version);
    r.int64(j, "generation", path, out.generation);
    r.string(j, "deletionTimestamp", path, out.deletion_timestamp);
    r.string_map(j, "labels", path, out.labels);
    r.string_map(j, "annotations", path, out.annotations);
    r.string_list(j, "finalizers", path, out.finalizers);
}

Json encode(const ObjectMeta& meta) {
    Json j = Json::object();
    put_string(j, "name", meta.name);
    put_string(j, "namespace", meta.namespace_);
    put_string(j, "uid", meta.uid);
    put_string(j, "resourceVersion", meta.resource_version);
    if (meta.generation != 0) j["generation"] = meta.generation;
    put_string(j, "deletionTimestamp", meta.deletion_timestamp);
    put_map(j, "labels", meta.labels);
    put_map(j, "annotations", meta.annotations);
    put_list(j, "finalizers", meta.finalizers);
    return j;
}

void decode(FieldReader& r, const Json& j, const std::string& path, std::vector<Condition>& out) {
    const Json* list = r.array(j, "conditions", path);
    if (list == nullptr) return;
    std::string base = field_path(path, "conditions");
    for (size_t i = 0; i < list->size(); ++i) {
        const Json& item = (*list)[i];
        std::string p = index_path(base, i);
        Condition c;
        r.string(item, "type", p, c.type);
        r.string(item, "status", p, c.status);
        r.string(item, "reason", p, c.reason);
        r.string(item, "message", p, c.message);
        r.string(item, "lastTransitionTime", p, c.last_transition_time);
        r.int64(item, "observedGeneration", p, c.observed_generation);
        out.push_back(std::move(c));
    }
}

Json encode(const std::vector<Condition>& conditions) {
    Json list = Json::array();
    for (const auto& c : conditions) {
        Json j = Json::object();
        j["type"] = c.type;
        j["status"] = c.status;
        put_string(j, "reason", c.reason);
        put_string(j, "message", c.message);
        put_string(j, "lastTransitionTime", c.last_transition_time);
        if (c.observed_generation != 0) j["observedGeneration"] = c.observed_generation;
        list.push_back(std::move(j));
    }
    return list;
}

void decode(FieldReader& r, const Json& j, const std::string& path, ClusterRef& out) {
    const Json* ref = r.object(j, "clusterRef", path);
    if (ref != nullptr) r.string(*ref, "name", field_path(path, "clusterRef"), out.name);
}

Json encode(const ClusterRef& ref) {
    return Json{{"name", ref.name}};
}

bool is_dns_label(const std::string& s) {
    static const std::regex kLabel("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    return !s.empty() && s.size() <= 63 && std::regex_match(s, kLabel);
}

bool is_dns_subdomain(const std::string& s) {
    static const std::regex kSubdomain(
        "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    return !s.empty() && s.size() <= 253 && std::regex_match(s, kSubdomain);
}

bool is_quantity(const std::string& s) {
    static const std::regex kQuantity(
        "[+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?");
    return !s.empty() && s.size() <= 64 && std::regex_match(s, kQuantity);
}

void validate(const ClusterRef& ref, const std::string& path, FieldErrors& errors) {
    std::string p = field_path(path, "clusterRef.name");
    if (ref.name.empty()) {
        errors.push_back({p, "is required"});
    } else if (!is_dns_label(ref.name)) {
        errors.push_back({p, "must be a DNS label (lowercase letters, digits, '-')"});
    }
}

}  // namespace kop::api::v1alpha1
