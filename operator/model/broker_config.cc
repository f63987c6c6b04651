#include "operator/model/broker_config.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <map>

#include "common/cluster_id.h"

namespace kop::model {
namespace {

using api::v1alpha1::Listener;

std::string join(const std::vector<std::string>& parts, const char* sep) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += sep;
        out += p;
    }
    return out;
}

std::string sasl_mechanism(const std::string& authentication) {
    if (authentication == api::v1alpha1::kAuthScramSha512) return "SCRAM-SHA-512";
    if (authentication == api::v1alpha1::kAuthScramSha256) return "SCRAM-SHA-256";
    if (authentication == api::v1alpha1::kAuthPlain) return "PLAIN";
    return "";
}

// The address a broker advertises on a listener, with broker-init placeholders.
std::string advertised_address(const KafkaCluster& c, const Listener& l) {
    std::string internal = pod_dns_name(c, "${POD_NAME}");
    if (l.type == api::v1alpha1::kListenerNodePort) {
        return "${NODE_ADDRESS}:${NODEPORT:" + l.name + "}";
    }
    if (l.type == api::v1alpha1::kListenerLoadBalancer) {
        return "${LB_ADDRESS:" + l.name + "}:" + std::to_string(l.port);
    }
    return internal + ":" + std::to_string(l.port);
}

void put_listeners(const KafkaCluster& c, std::map<std::string, std::string>& p) {
    const std::string internal = pod_dns_name(c, "${POD_NAME}");
    std::vector<std::string> listeners = {
        "CONTROLLER://${POD_IP}:" + std::to_string(api::v1alpha1::kControllerPort),
        "REPLICATION://${POD_IP}:" + std::to_string(api::v1alpha1::kReplicationPort)};
    std::vector<std::string> advertised = {"REPLICATION://" + internal + ":" +
                                           std::to_string(api::v1alpha1::kReplicationPort)};
    std::vector<std::string> protocols = {"CONTROLLER:PLAINTEXT", "REPLICATION:PLAINTEXT"};
    for (const Listener& l : c.spec.listeners) {
        std::string name = kafka_listener_name(l.name);
        listeners.push_back(name + "://${POD_IP}:" + std::to_string(l.port));
        advertised.push_back(name + "://" + advertised_address(c, l));
        protocols.push_back(name + ":" + security_protocol(l));
        std::string prefix = "listener.name." + l.name + ".";
        if (std::string mech = sasl_mechanism(l.authentication); !mech.empty()) {
            p[prefix + "sasl.enabled.mechanisms"] = mech;
        }
        if (l.tls) {
            std::string dir = std::string(kTlsDir) + "/" + l.name;
            p[prefix + "ssl.keystore.type"] = "PEM";
            p[prefix + "ssl.keystore.location"] = dir + "/keystore.pem";
            p[prefix + "ssl.truststore.type"] = "PEM";
            p[prefix + "ssl.truststore.location"] = dir + "/ca.crt";
            if (l.authentication == api::v1alpha1::kAuthTls) {
                p[prefix + "ssl.client.auth"] = "required";
            }
        }
    }
    p["listeners"] = join(listeners, ",");
    p["advertised.listeners"] = join(advertised, ",");
    p["listener.security.protocol.map"] = join(protocols, ",");
    p["inter.broker.listener.name"] = "REPLICATION";
    p["controller.listener.names"] = "CONTROLLER";
    p["admin.listeners"] = "http://${POD_IP}:" + std::to_string(api::v1alpha1::kAdminPort);
}

void put_quorum(const KafkaCluster& c, const Observed& observed,
                std::map<std::string, std::string>& p) {
    const int count = controller_voter_count(c, observed);
    std::vector<std::string> voters;
    for (int i = 0; i < count; ++i) {
        voters.push_back(std::to_string(i) + "@" + pod_dns_name(c, pod_name(c, i)) + ":" +
                         std::to_string(api::v1alpha1::kControllerPort));
    }
    p["controller.quorum.voters"] = join(voters, ",");
    // Per pod: broker,controller for the voters, broker for the others (broker-only nodes).
    p["process.roles"] = "${PROCESS_ROLES:" + std::to_string(count) + "}";
}

// Replication defaults that suit the cluster's size, unless spec.config sets them.
void put_defaults(const KafkaCluster& c, std::map<std::string, std::string>& p) {
    int32_t rf = std::min<int32_t>(c.spec.replicas, 3);
    int32_t isr = c.spec.replicas >= 3 ? 2 : 1;
    p["default.replication.factor"] = std::to_string(rf);
    p["min.insync.replicas"] = std::to_string(isr);
    p["offsets.topic.replication.factor"] = std::to_string(rf);
    p["transaction.state.log.replication.factor"] = std::to_string(rf);
    p["transaction.state.log.min.isr"] = std::to_string(isr);
}

// cluster.id from metadata.uid: every broker formats its data directory for the same cluster.
void put_cluster_id(const KafkaCluster& c, std::map<std::string, std::string>& p) {
    if (auto id = cluster_id_for(c)) p["cluster.id"] = *id;
}

void put_authorization(const KafkaCluster& c, std::map<std::string, std::string>& p) {
    if (!c.spec.authorization) return;
    p["authorizer.class.name"] = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    std::vector<std::string> supers;
    for (const auto& u : c.spec.authorization->super_users) supers.push_back("User:" + u);
    if (!supers.empty()) p["super.users"] = join(supers, ";");
}

}  // namespace

std::string kafka_listener_name(const std::string& name) {
    std::string out = name;
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
    return out;
}

std::string security_protocol(const Listener& l) {
    bool sasl = !sasl_mechanism(l.authentication).empty();
    if (sasl) return l.tls ? "SASL_SSL" : "SASL_PLAINTEXT";
    return l.tls ? "SSL" : "PLAINTEXT";
}

std::optional<std::string> cluster_id_for(const KafkaCluster& c) {
    return common::cluster_id_from_uuid(c.metadata.uid);
}

int controller_voter_count(const KafkaCluster& c, const Observed& observed) {
    if (observed.controller_voters > 0) return observed.controller_voters;
    return std::clamp(c.spec.replicas, 1, kMaxControllerVoters);
}

int rendered_voter_count(const std::string& broker_properties) {
    static const std::string kKey = "controller.quorum.voters=";
    size_t at = broker_properties.rfind("\n" + kKey);
    if (at == std::string::npos) return 0;
    size_t begin = at + 1 + kKey.size();
    size_t end = broker_properties.find('\n', begin);
    std::string value =
        broker_properties.substr(begin, end == std::string::npos ? end : end - begin);
    if (value.empty()) return 0;
    return static_cast<int>(std::count(value.begin(), value.end(), ',')) + 1;
}

std::string render_broker_properties(const KafkaCluster& c, const Observed& observed) {
    std::map<std::string, std::string> p;
    put_defaults(c, p);
    for (const auto& [key, value] : c.spec.config) p[key] = value;
    // Operator-owned keys last: validate() refuses them in spec.config, and they win anyway.
    p["node.id"] = "${ORDINAL}";
    p["log.dirs"] = std::string(kDataDir) + "/data";
    if (c.spec.rack) p["broker.rack"] = "${NODE_LABEL:" + c.spec.rack->topology_key + "}";
    put_listeners(c, p);
    put_quorum(c, observed, p);
    put_cluster_id(c, p);
    put_authorization(c, p);
    std::string out = "# Rendered by tributary-operator for KafkaCluster " + c.metadata.namespace_ +
                      "/" + c.metadata.name +
                      ". Placeholders are filled in per broker by broker-init.\n";
    for (const auto& [key, value] : p) out += key + "=" + value + "\n";
    return out;
}

Json render_config_map(const KafkaCluster& c, const Observed& observed) {
    return Json{{"apiVersion", "v1"},
                {"kind", "ConfigMap"},
                {"metadata", owned_metadata(c, config_map_name(c), kComponentBroker)},
                {"data", {{kPropertiesKey, render_broker_properties(c, observed)}}}};
}

std::string config_hash(const KafkaCluster& c, const Observed& observed) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char ch : render_broker_properties(c, observed)) {
        h ^= ch;
        h *= 0x100000001b3ULL;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

}  // namespace kop::model
