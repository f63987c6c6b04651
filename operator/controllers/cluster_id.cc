#include "operator/controllers/cluster_id.h"

#include "operator/controllers/kafka_cluster_status.h"
#include "operator/kafka_admin/kafka_admin_client.h"

namespace kop::controllers {

common::Result<std::string> KafkaClusterIdReader::read(const std::vector<std::string>& addresses) {
    kafka_admin::ClientOptions options;
    options.timeout = timeout_;
    TRIBUTARY_TRY(client, kafka_admin::KafkaAdminClient::connect(addresses, options));
    TRIBUTARY_TRY(described, client->describe_cluster());
    return described.cluster_id;
}

const api::v1alpha1::Listener* plaintext_internal_listener(const api::v1alpha1::KafkaCluster& c) {
    for (const auto& l : c.spec.listeners) {
        if (l.type == api::v1alpha1::kListenerInternal && !l.tls && l.authentication.empty()) {
            return &l;
        }
    }
    return nullptr;
}

std::vector<std::string> broker_addresses(const api::v1alpha1::KafkaCluster& cluster,
                                          const std::vector<nlohmann::json>& pods) {
    std::vector<std::string> out;
    const api::v1alpha1::Listener* listener = plaintext_internal_listener(cluster);
    if (listener == nullptr) return out;
    for (const auto& pod : pods) {
        if (!pod_ready(pod)) continue;
        std::string ip = pod.value("status", nlohmann::json::object()).value("podIP", "");
        if (ip.empty()) continue;
        if (ip.find(':') != std::string::npos) ip = "[" + ip + "]";
        out.push_back(ip + ":" + std::to_string(listener->port));
    }
    return out;
}

}  // namespace kop::controllers
