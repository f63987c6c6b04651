#include "operator/controllers/replica_holders.h"

#include "operator/kafka_admin/kafka_admin_client.h"

namespace kop::controllers {

common::Result<ReplicaCounts> KafkaReplicaHolderReader::read(
    const std::vector<std::string>& addresses) {
    kafka_admin::ClientOptions options;
    options.timeout = timeout_;
    TRIBUTARY_TRY(client, kafka_admin::KafkaAdminClient::connect(addresses, options));
    TRIBUTARY_TRY(metadata, client->metadata(std::nullopt));
    ReplicaCounts counts;
    for (const auto& topic : metadata.topics) {
        for (const auto& partition : topic.partitions) {
            for (int32_t broker : partition.replica_nodes) ++counts[broker];
        }
    }
    return counts;
}

std::string removed_replica_holders(const ReplicaCounts& counts, int32_t replicas) {
    std::string out;
    for (const auto& [broker, held] : counts) {
        if (broker < replicas || held == 0) continue;
        if (!out.empty()) out += ", ";
        out += std::to_string(broker) + " (" + std::to_string(held) +
               (held == 1 ? " replica)" : " replicas)");
    }
    return out;
}

}  // namespace kop::controllers
