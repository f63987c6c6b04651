#pragma once
// KafkaUser (tributary.io/v1alpha1): a principal of a KafkaCluster with its credentials, ACL
// rules and quotas. Plain values; decode() reports type errors, validate() every semantic
// problem, both with field paths.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "operator/api/v1alpha1/meta.h"

namespace kop::api::v1alpha1 {

inline constexpr const char* kKafkaUserKind = "KafkaUser";

struct SecretKeyRef {
    std::string name;
    std::string key;
};

struct UserAuthentication {
    std::string type;                      // scram-sha-512 | scram-sha-256 | tls
    std::optional<SecretKeyRef> password;  // scram only; else the operator generates one
};

struct AclResource {
    std::string type;  // topic | group | cluster | transactionalId
    std::string name;
    std::string pattern_type = "literal";  // literal | prefixed
};

struct AclRule {
    std::string type = "allow";  // allow | deny
    AclResource resource;
    std::string host = "*";
    std::vector<std::string> operations;  // Read, Write, Create, Delete, Alter, Describe, ...
};

struct UserAuthorization {
    std::string type = "simple";
    std::vector<AclRule> acls;
};

struct Quotas {
    std::optional<int64_t> producer_byte_rate;
    std::optional<int64_t> consumer_byte_rate;
    std::optional<int32_t> request_percentage;
};

struct KafkaUserSpec {
    ClusterRef cluster_ref;
    UserAuthentication authentication;
    std::optional<UserAuthorization> authorization;
    Quotas quotas;
};

struct KafkaUserStatus {
    std::vector<Condition> conditions;
    int64_t observed_generation = 0;
    std::string username;
    std::string secret;
    bool operator==(const KafkaUserStatus&) const = default;
};

struct KafkaUser {
    ObjectMeta metadata;
    KafkaUserSpec spec;
    KafkaUserStatus status;
};

KafkaUser decode_kafka_user(const Json& j, FieldErrors& errors);
Json to_json(const KafkaUser& user);
Json to_json(const KafkaUserSpec& spec);
Json to_json(const KafkaUserStatus& status);

FieldErrors validate(const KafkaUser& user);

// The Kafka principal name: metadata.name for SCRAM, "CN=<metadata.name>" for tls.
std::string kafka_username(const KafkaUser& user);

}  // namespace kop::api::v1alpha1
