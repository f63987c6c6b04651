// validate(KafkaCluster): every rule the CRD schema and its CEL rules state, checked again here
// because a v1.20 API server ignores CEL and a manifest may bypass the schema's defaults.

#include <array>
#include <regex>
#include <set>
#include <string_view>

#include "operator/api/v1alpha1/kafka_cluster.h"

namespace kop::api::v1alpha1 {
namespace {

constexpr int32_t kMaxReplicas = 1000;
constexpr size_t kMaxListenerName = 15;

constexpr std::array<std::string_view, 18> kOwnedProperties = {
    "node.id",
    "cluster.id",
    "broker.id",
    "process.roles",
    "listeners",
    "advertised.listeners",
    "listener.security.protocol.map",
    "inter.broker.listener.name",
    "controller.listener.names",
    "controller.quorum.voters",
    "log.dirs",
    "log.dir",
    "broker.rack",
    "admin.listeners",
    "authorizer.class.name",
    "super.users",
    "sasl.enabled.mechanisms",
    "sasl.mechanism.inter.broker.protocol",
};
constexpr std::array<std::string_view, 3> kOwnedPrefixes = {"listener.name.", "ssl.keystore.",
                                                            "ssl.truststore."};

void add(FieldErrors& errors, std::string path, std::string message) {
    errors.push_back({std::move(path), std::move(message)});
}

bool one_of(const std::string& v, std::initializer_list<const char*> allowed) {
    for (const char* a : allowed) {
        if (v == a) return true;
    }
    return false;
}

void validate_storage(const Storage& s, FieldErrors& errors) {
    const std::string p = "spec.storage";
    if (s.type.empty()) {
        add(errors, p + ".type", "is required");
    } else if (!one_of(s.type, {kStoragePersistentClaim, kStorageEphemeral})) {
        add(errors, p + ".type", "must be persistent-claim or ephemeral");
    }
    if (s.type == kStoragePersistentClaim && s.size.empty()) {
        add(errors, p + ".size", "is required for persistent-claim storage");
    }
    if (!s.size.empty() && !is_quantity(s.size)) {
        add(errors, p + ".size", "must be a quantity such as 10Gi");
    }
    if (s.type == kStorageEphemeral && !s.storage_class.empty()) {
        add(errors, p + ".class", "applies only to persistent-claim storage");
    }
    if (!s.storage_class.empty() && !is_dns_subdomain(s.storage_class)) {
        add(errors, p + ".class", "must be a valid StorageClass name");
    }
}

bool is_listener_name(const std::string& s) {
    static const std::regex kName("[a-z][a-z0-9]*");
    return !s.empty() && s.size() <= kMaxListenerName && std::regex_match(s, kName);
}

void validate_listener(const Listener& l, const std::string& p, FieldErrors& errors) {
    if (!is_listener_name(l.name)) {
        add(errors, p + ".name",
            "must be 1-15 lowercase letters or digits, starting with a letter");
    }
    if (l.name == "controller" || l.name == "replication" || l.name == "admin") {
        add(errors, p + ".name", "'" + l.name + "' is reserved for the brokers' own traffic");
    }
    if (l.port < 1024 || l.port > 65535) {
        add(errors, p + ".port", "must be between 1024 and 65535");
    } else if (l.port == kControllerPort || l.port == kReplicationPort || l.port == kAdminPort) {
        add(errors, p + ".port", "is reserved (9090, 9091 and 9644 are used by the brokers)");
    }
    if (!one_of(l.type, {kListenerInternal, kListenerNodePort, kListenerLoadBalancer})) {
        add(errors, p + ".type", "must be internal, nodeport or loadbalancer");
    }
    if (!l.authentication.empty() &&
        !one_of(l.authentication, {kAuthScramSha512, kAuthScramSha256, kAuthTls, kAuthPlain})) {
        add(errors, p + ".authentication.type",
            "must be scram-sha-512, scram-sha-256, tls or plain");
    }
    if (l.authentication == kAuthTls && !l.tls) {
        add(errors, p + ".authentication.type", "tls authentication needs tls: true");
    }
}

void validate_listeners(const std::vector<Listener>& listeners, FieldErrors& errors) {
    if (listeners.empty()) add(errors, "spec.listeners", "needs at least one listener");
    std::set<std::string> names;
    std::set<int32_t> ports;
    for (size_t i = 0; i < listeners.size(); ++i) {
        const Listener& l = listeners[i];
        std::string p = index_path("spec.listeners", i);
        validate_listener(l, p, errors);
        if (!l.name.empty() && !names.insert(l.name).second) {
            add(errors, p + ".name", "duplicates another listener's name");
        }
        if (l.port != 0 && !ports.insert(l.port).second) {
            add(errors, p + ".port", "duplicates another listener's port");
        }
    }
}

void validate_authorization(const Authorization& a, const std::vector<Listener>& listeners,
                            FieldErrors& errors) {
    if (a.type != kAuthorizationSimple) {
        add(errors, "spec.authorization.type", "must be simple");
    }
    for (size_t i = 0; i < a.super_users.size(); ++i) {
        if (a.super_users[i].empty()) {
            add(errors, index_path("spec.authorization.superUsers", i), "must not be empty");
        }
    }
    bool any_authenticated = false;
    for (const auto& l : listeners) any_authenticated |= !l.authentication.empty();
    if (!any_authenticated) {
        add(errors, "spec.authorization",
            "needs at least one listener with authentication (else every client is anonymous)");
    }
}

void validate_config(const StringMap& config, FieldErrors& errors) {
    for (const auto& [key, value] : config) {
        std::string p = "spec.config." + key;
        if (is_operator_owned_property(key)) {
            add(errors, p, "is set by the operator and cannot be overridden");
        }
        if (key.empty() || key.find_first_of(" =:\n") != std::string::npos) {
            add(errors, p, "is not a valid property name");
        }
        if (value.find('\n') != std::string::npos) {
            add(errors, p, "must be a single line");
        }
    }
}

void validate_template(const PodTemplate& t, FieldErrors& errors) {
    const std::string p = "spec.template.pod";
    for (const auto& [key, value] : t.labels) {
        if (key.rfind("app.kubernetes.io/", 0) == 0) {
            add(errors, p + ".labels." + key, "app.kubernetes.io/ labels are set by the operator");
        }
        if (value.size() > 63) add(errors, p + ".labels." + key, "must be at most 63 characters");
    }
    if (!t.priority_class_name.empty() && !is_dns_subdomain(t.priority_class_name)) {
        add(errors, p + ".priorityClassName", "must be a valid PriorityClass name");
    }
}

}  // namespace

bool is_operator_owned_property(const std::string& key) {
    for (auto owned : kOwnedProperties) {
        if (key == owned) return true;
    }
    for (auto prefix : kOwnedPrefixes) {
        if (key.rfind(prefix, 0) == 0) return true;
    }
    return false;
}

FieldErrors validate(const KafkaCluster& cluster) {
    FieldErrors errors;
    const KafkaClusterSpec& spec = cluster.spec;
    // Object names end up in per-broker Service names (<name>-broker-<n>-<listener>), which
    // must stay DNS labels.
    if (!is_dns_label(cluster.metadata.name) || cluster.metadata.name.size() > 30) {
        add(errors, "metadata.name", "must be a DNS label of at most 30 characters");
    }
    if (spec.replicas < 1 || spec.replicas > kMaxReplicas) {
        add(errors, "spec.replicas", "must be between 1 and 1000");
    }
    validate_storage(spec.storage, errors);
    if (spec.rack && spec.rack->topology_key.empty()) {
        add(errors, "spec.rack.topologyKey", "is required when rack is set");
    }
    validate_listeners(spec.listeners, errors);
    if (spec.authorization) validate_authorization(*spec.authorization, spec.listeners, errors);
    validate_config(spec.config, errors);
    validate_template(spec.pod_template, errors);
    return errors;
}

}  // namespace kop::api::v1alpha1
