#include "operator/api/v1alpha1/kafka_user.h"

namespace kop::api::v1alpha1 {
namespace {

void decode_authentication(FieldReader& r, const Json& spec, UserAuthentication& out) {
    const Json* auth = r.object(spec, "authentication", "spec");
    if (auth == nullptr) return;
    const std::string p = "spec.authentication";
    r.string(*auth, "type", p, out.type);
    const Json* password = r.object(*auth, "password", p);
    if (password == nullptr) return;
    const Json* from = r.object(*password, "valueFrom", p + ".password");
    const std::string fp = p + ".password.valueFrom";
    const Json* ref = from == nullptr ? nullptr : r.object(*from, "secretKeyRef", fp);
    if (ref == nullptr) {
        r.error(p + ".password", "must be valueFrom.secretKeyRef {name, key}");
        return;
    }
    out.password.emplace();
    r.string(*ref, "name", fp + ".secretKeyRef", out.password->name);
    r.string(*ref, "key", fp + ".secretKeyRef", out.password->key);
}

AclRule decode_rule(FieldReader& r, const Json& item, const std::string& p) {
    AclRule rule;
    r.string(item, "type", p, rule.type);
    if (const Json* res = r.object(item, "resource", p)) {
        std::string rp = p + ".resource";
        r.string(*res, "type", rp, rule.resource.type);
        r.string(*res, "name", rp, rule.resource.name);
        r.string(*res, "patternType", rp, rule.resource.pattern_type);
    }
    r.string(item, "host", p, rule.host);
    r.string_list(item, "operations", p, rule.operations);
    return rule;
}

void decode_spec(FieldReader& r, const Json& spec, KafkaUserSpec& out) {
    decode(r, spec, "spec", out.cluster_ref);
    decode_authentication(r, spec, out.authentication);
    if (const Json* authz = r.object(spec, "authorization", "spec")) {
        out.authorization.emplace();
        r.string(*authz, "type", "spec.authorization", out.authorization->type);
        if (const Json* acls = r.array(*authz, "acls", "spec.authorization")) {
            for (size_t i = 0; i < acls->size(); ++i) {
                out.authorization->acls.push_back(
                    decode_rule(r, (*acls)[i], index_path("spec.authorization.acls", i)));
            }
        }
    }
    if (const Json* q = r.object(spec, "quotas", "spec")) {
        r.optional_int64(*q, "producerByteRate", "spec.quotas", out.quotas.producer_byte_rate);
        r.optional_int64(*q, "consumerByteRate", "spec.quotas", out.quotas.consumer_byte_rate);
        r.optional_int32(*q, "requestPercentage", "spec.quotas", out.quotas.request_percentage);
    }
}

Json rule_json(const AclRule& rule) {
    Json res = {{"type", rule.resource.type}, {"patternType", rule.resource.pattern_type}};
    put_string(res, "name", rule.resource.name);
    return Json{{"type", rule.type},
                {"resource", std::move(res)},
                {"host", rule.host},
                {"operations", rule.operations}};
}

}  // namespace

KafkaUser decode_kafka_user(const Json& j, FieldErrors& errors) {
    FieldReader r(errors);
    KafkaUser out;
    if (!j.is_object()) {
        r.error("", "must be a JSON object");
        return out;
    }
    if (const Json* meta = r.object(j, "metadata", "")) decode(r, *meta, "metadata", out.metadata);
    if (const Json* spec = r.object(j, "spec", "")) decode_spec(r, *spec, out.spec);
    if (const Json* status = r.object(j, "status", "")) {
        decode(r, *status, "status", out.status.conditions);
        r.int64(*status, "observedGeneration", "status", out.status.observed_generation);
        r.string(*status, "username", "status", out.status.username);
        r.string(*status, "secret", "status", out.status.secret);
    }
    return out;
}

Json to_json(const KafkaUserSpec& spec) {
    Json auth = {{"type", spec.authentication.type}};
    if (spec.authentication.password) {
        auth["password"] = {{"valueFrom",
                             {{"secretKeyRef",
                               {{"name", spec.authentication.password->name},
                                {"key", spec.authentication.password->key}}}}}};
    }
    Json j = {{"clusterRef", encode(spec.cluster_ref)}, {"authentication", std::move(auth)}};
    if (spec.authorization) {
        Json acls = Json::array();
        for (const auto& rule : spec.authorization->acls) acls.push_back(rule_json(rule));
        j["authorization"] = {{"type", spec.authorization->type}, {"acls", std::move(acls)}};
    }
    Json quotas = Json::object();
    if (spec.quotas.producer_byte_rate)
        quotas["producerByteRate"] = *spec.quotas.producer_byte_rate;
    if (spec.quotas.consumer_byte_rate)
        quotas["consumerByteRate"] = *spec.quotas.consumer_byte_rate;
    if (spec.quotas.request_percentage) {
        quotas["requestPercentage"] = *spec.quotas.request_percentage;
    }
    if (!quotas.empty()) j["quotas"] = std::move(quotas);
    return j;
}

Json to_json(const KafkaUserStatus& status) {
    Json j = Json::object();
    if (!status.conditions.empty()) j["conditions"] = encode(status.conditions);
    if (status.observed_generation != 0) j["observedGeneration"] = status.observed_generation;
    put_string(j, "username", status.username);
    put_string(j, "secret", status.secret);
    return j;
}

Json to_json(const KafkaUser& user) {
    return Json{{"apiVersion", kApiVersion},
                {"kind", kKafkaUserKind},
                {"metadata", encode(user.metadata)},
                {"spec", to_json(user.spec)},
                {"status", to_json(user.status)}};
}

std::string kafka_username(const KafkaUser& user) {
    if (user.spec.authentication.type == kAuthTls) return "CN=" + user.metadata.name;
    return user.metadata.name;
}

}  // namespace kop::api::v1alpha1
