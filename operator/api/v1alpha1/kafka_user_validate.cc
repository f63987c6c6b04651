// validate(KafkaUser): authentication, ACL rules and quotas, with field paths.

#include <set>

#include "operator/api/v1alpha1/kafka_cluster.h"
#include "operator/api/v1alpha1/kafka_user.h"

namespace kop::api::v1alpha1 {
namespace {

const std::set<std::string>& operations() {
    static const std::set<std::string> kOps = {
        "All",      "Read",          "Write",           "Create",       "Delete",         "Alter",
        "Describe", "ClusterAction", "DescribeConfigs", "AlterConfigs", "IdempotentWrite"};
    return kOps;
}

void validate_authentication(const UserAuthentication& a, FieldErrors& errors) {
    const std::string p = "spec.authentication";
    if (a.type != kAuthScramSha512 && a.type != kAuthScramSha256 && a.type != kAuthTls) {
        errors.push_back({p + ".type", "must be scram-sha-512, scram-sha-256 or tls"});
    }
    if (!a.password) return;
    if (a.type == kAuthTls) {
        errors.push_back({p + ".password", "applies only to scram authentication"});
    }
    const std::string rp = p + ".password.valueFrom.secretKeyRef";
    if (!is_dns_subdomain(a.password->name)) {
        errors.push_back({rp + ".name", "must be a Secret name"});
    }
    if (a.password->key.empty()) errors.push_back({rp + ".key", "is required"});
}

void validate_rule(const AclRule& rule, const std::string& p, FieldErrors& errors) {
    if (rule.type != "allow" && rule.type != "deny") {
        errors.push_back({p + ".type", "must be allow or deny"});
    }
    const AclResource& res = rule.resource;
    const std::string rp = p + ".resource";
    if (res.type != "topic" && res.type != "group" && res.type != "cluster" &&
        res.type != "transactionalId") {
        errors.push_back({rp + ".type", "must be topic, group, cluster or transactionalId"});
    }
    if (res.pattern_type != "literal" && res.pattern_type != "prefixed") {
        errors.push_back({rp + ".patternType", "must be literal or prefixed"});
    }
    if (res.type == "cluster") {
        if (res.pattern_type != "literal") {
            errors.push_back({rp + ".patternType", "must be literal for the cluster resource"});
        }
    } else if (res.name.empty()) {
        errors.push_back({rp + ".name", "is required for " + res.type + " resources"});
    }
    if (rule.host.empty()) errors.push_back({p + ".host", "must not be empty (use \"*\")"});
    if (rule.operations.empty()) errors.push_back({p + ".operations", "needs at least one"});
    for (size_t i = 0; i < rule.operations.size(); ++i) {
        if (operations().count(rule.operations[i]) == 0) {
            errors.push_back({index_path(p + ".operations", i),
                              "unknown operation '" + rule.operations[i] + "'"});
        }
    }
}

void validate_quotas(const Quotas& q, FieldErrors& errors) {
    if (q.producer_byte_rate && *q.producer_byte_rate < 0) {
        errors.push_back({"spec.quotas.producerByteRate", "must not be negative"});
    }
    if (q.consumer_byte_rate && *q.consumer_byte_rate < 0) {
        errors.push_back({"spec.quotas.consumerByteRate", "must not be negative"});
    }
    if (q.request_percentage && (*q.request_percentage < 0 || *q.request_percentage > 100)) {
        errors.push_back({"spec.quotas.requestPercentage", "must be between 0 and 100"});
    }
}

}  // namespace

FieldErrors validate(const KafkaUser& user) {
    FieldErrors errors;
    validate(user.spec.cluster_ref, "spec", errors);
    // The name becomes the SCRAM user name and the Secret's name, so a DNS subdomain.
    if (!is_dns_subdomain(user.metadata.name)) {
        errors.push_back({"metadata.name", "must be a DNS subdomain"});
    }
    validate_authentication(user.spec.authentication, errors);
    if (user.spec.authorization) {
        if (user.spec.authorization->type != kAuthorizationSimple) {
            errors.push_back({"spec.authorization.type", "must be simple"});
        }
        const auto& acls = user.spec.authorization->acls;
        for (size_t i = 0; i < acls.size(); ++i) {
            validate_rule(acls[i], index_path("spec.authorization.acls", i), errors);
        }
    }
    validate_quotas(user.spec.quotas, errors);
    return errors;
}

}  // namespace kop::api::v1alpha1
