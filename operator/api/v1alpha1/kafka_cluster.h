#pragma once
// KafkaCluster (tributary.io/v1alpha1): a set of brokers run as one StatefulSet. Plain values;
// decode() never throws and reports wrong types as FieldErrors, validate() reports every
// semantic problem (the operator checks all rules itself: v1.20 API servers ignore CEL).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "operator/api/v1alpha1/meta.h"

namespace kop::api::v1alpha1 {

inline constexpr const char* kKafkaClusterKind = "KafkaCluster";

// Values of the string-typed enums.
inline constexpr const char* kStoragePersistentClaim = "persistent-claim";
inline constexpr const char* kStorageEphemeral = "ephemeral";
inline constexpr const char* kListenerInternal = "internal";
inline constexpr const char* kListenerNodePort = "nodeport";
inline constexpr const char* kListenerLoadBalancer = "loadbalancer";

// Ports the operator gives the brokers for their own traffic; listeners may not use them.
inline constexpr int32_t kControllerPort = 9090;
inline constexpr int32_t kReplicationPort = 9091;
inline constexpr int32_t kAdminPort = 9644;

struct Storage {
    std::string type;  // persistent-claim | ephemeral
    std::string size;  // quantity; required for persistent-claim, a sizeLimit for ephemeral
    std::string storage_class;
    bool delete_claim = false;
};

struct Rack {
    std::string topology_key;  // node label whose value becomes broker.rack
};

struct Listener {
    std::string name;
    int32_t port = 0;
    std::string type = kListenerInternal;
    bool tls = false;
    std::string authentication;  // empty = none; else scram-sha-512|scram-sha-256|tls|plain
};

struct Authorization {
    std::string type;  // simple
    std::vector<std::string> super_users;
};

struct PodTemplate {
    StringMap labels;
    StringMap annotations;
    Json tolerations;                  // []Toleration, passed through
    Json affinity;                     // Affinity, passed through
    Json topology_spread_constraints;  // []TopologySpreadConstraint, passed through
    std::string priority_class_name;
};

struct Metrics {
    bool enabled = false;
};

struct KafkaClusterSpec {
    int32_t replicas = 0;
    std::string image;
    Json resources;  // ResourceRequirements, passed through
    Storage storage;
    std::optional<Rack> rack;
    std::vector<Listener> listeners;
    std::optional<Authorization> authorization;
    StringMap config;  // broker property overrides (Kafka names)
    PodTemplate pod_template;
    Metrics metrics;
};

struct BrokerStatus {
    int32_t id = 0;
    std::string pod;
    std::string rack;
    bool ready = false;
    bool operator==(const BrokerStatus&) const = default;
};

struct ListenerStatus {
    std::string name;
    std::string bootstrap;  // host:port[,host:port]
    bool operator==(const ListenerStatus&) const = default;
};

struct KafkaClusterStatus {
    std::vector<Condition> conditions;
    int64_t observed_generation = 0;
    int32_t ready_brokers = 0;
    std::vector<BrokerStatus> brokers;
    std::vector<ListenerStatus> listeners;
    std::string cluster_id;
    bool operator==(const KafkaClusterStatus&) const = default;
};

struct KafkaCluster {
    ObjectMeta metadata;
    KafkaClusterSpec spec;
    KafkaClusterStatus status;
};

// Reads a whole object (metadata, spec, status). Type errors are appended to `errors`.
KafkaCluster decode_kafka_cluster(const Json& j, FieldErrors& errors);
// The whole object with apiVersion and kind.
Json to_json(const KafkaCluster& cluster);
Json to_json(const KafkaClusterSpec& spec);
Json to_json(const KafkaClusterStatus& status);

// Every semantic problem of the spec, with field paths.
FieldErrors validate(const KafkaCluster& cluster);

// True when a broker property is set by the operator and so refused in spec.config.
bool is_operator_owned_property(const std::string& key);

}  // namespace kop::api::v1alpha1
