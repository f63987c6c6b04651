#pragma once
// The parts of Kubernetes object metadata and status that the three custom resources share:
// ObjectMeta (identity, generation, labels), Condition (API-conventions condition) and
// ClusterRef. Plain values, copied freely.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "operator/api/v1alpha1/json_fields.h"

namespace kop::api::v1alpha1 {

inline constexpr const char* kGroup = "tributary.io";
inline constexpr const char* kVersion = "v1alpha1";
inline constexpr const char* kApiVersion = "tributary.io/v1alpha1";

struct ObjectMeta {
    std::string name;
    std::string namespace_;
    std::string uid;
    std::string resource_version;
    int64_t generation = 0;
    std::string deletion_timestamp;  // empty unless the object is being deleted
    StringMap labels;
    StringMap annotations;
    std::vector<std::string> finalizers;
};

// Authentication mechanisms (listeners and users) and the authorizer type.
inline constexpr const char* kAuthScramSha512 = "scram-sha-512";
inline constexpr const char* kAuthScramSha256 = "scram-sha-256";
inline constexpr const char* kAuthTls = "tls";
inline constexpr const char* kAuthPlain = "plain";
inline constexpr const char* kAuthorizationSimple = "simple";

// Condition types used by every reconciler.
inline constexpr const char* kConditionReady = "Ready";
inline constexpr const char* kConditionReconciling = "Reconciling";
inline constexpr const char* kConditionDegraded = "Degraded";

struct Condition {
    std::string type;
    std::string status;  // "True", "False" or "Unknown"
    std::string reason;
    std::string message;
    std::string last_transition_time;  // RFC 3339
    int64_t observed_generation = 0;
    bool operator==(const Condition&) const = default;
};

// Names the KafkaCluster (in the same namespace) that a topic or user belongs to.
struct ClusterRef {
    std::string name;
    bool operator==(const ClusterRef&) const = default;
};

void decode(FieldReader& r, const Json& j, const std::string& path, ObjectMeta& out);
Json encode(const ObjectMeta& meta);

void decode(FieldReader& r, const Json& j, const std::string& path, std::vector<Condition>& out);
Json encode(const std::vector<Condition>& conditions);

void decode(FieldReader& r, const Json& j, const std::string& path, ClusterRef& out);
Json encode(const ClusterRef& ref);

// Shared rules: Kubernetes object names (RFC 1123 DNS label / subdomain).
bool is_dns_label(const std::string& s);
bool is_dns_subdomain(const std::string& s);
// A Kubernetes resource quantity such as "10Gi", "500M", "1.5".
bool is_quantity(const std::string& s);
void validate(const ClusterRef& ref, const std::string& path, FieldErrors& errors);

}  // namespace kop::api::v1alpha1
