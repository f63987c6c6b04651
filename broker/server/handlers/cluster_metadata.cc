#include "broker/server/handlers/cluster_metadata.h"

#include <algorithm>

#include "broker/cluster/topic_info.h"
#include "common/protocol/error_code.h"

namespace broker::server::handlers {
namespace {

using common::protocol::ErrorCode;
using MetadataPartition = common::protocol::MetadataResponse::MetadataResponsePartition;

bool is_live(const std::vector<cluster::BrokerAddress>& live, int32_t id) {
    return std::any_of(live.begin(), live.end(),
                       [id](const cluster::BrokerAddress& b) { return b.id == id; });
}

MetadataPartition describe_partition(int32_t index, const cluster::PartitionState& p,
                                     const std::vector<cluster::BrokerAddress>& live) {
    MetadataPartition out;
    out.partition_index = index;
    out.leader_epoch = p.leader_epoch;
    out.replica_nodes = p.replicas;
    out.isr_nodes = p.isr;
    for (int32_t r : p.replicas) {
        if (!is_live(live, r)) out.offline_replicas.push_back(r);
    }
    // Kafka's rule: a leader the client cannot reach on this listener is no leader.
    if (p.leader >= 0 && is_live(live, p.leader)) {
        out.leader_id = p.leader;
    } else {
        out.leader_id = -1;
        out.error_code = static_cast<int16_t>(ErrorCode::LeaderNotAvailable);
    }
    return out;
}

}  // namespace

MetadataTopic describe_cluster_topic(const cluster::TopicMetadata& topic,
                                     const std::vector<cluster::BrokerAddress>& live) {
    MetadataTopic out;
    out.name = topic.name;
    out.topic_id = topic.id;
    out.is_internal = cluster::is_internal_topic(topic.name);
    for (size_t i = 0; i < topic.partitions.size(); ++i) {
        out.partitions.push_back(
            describe_partition(static_cast<int32_t>(i), topic.partitions[i], live));
    }
    return out;
}

}  // namespace broker::server::handlers
