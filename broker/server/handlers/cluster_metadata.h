#pragma once
// Metadata and DescribeCluster in clustered mode: what one image of the controller quorum's
// metadata (MetadataCache) says, as a client on one listener sees it. Pure functions.

#include <string_view>
#include <vector>

#include "broker/cluster/metadata_cache.h"
#include "broker/cluster/metadata_state.h"
#include "common/protocol/messages/metadata.h"

namespace broker::server::handlers {

using MetadataTopic = common::protocol::MetadataResponse::MetadataResponseTopic;

// One topic with every partition: leader (-1 and LEADER_NOT_AVAILABLE when it has none or the
// leader is not live), leader epoch, replicas, ISR, and the replicas that are not live.
// `live` is the live brokers on the client's listener (cluster::live_brokers).
MetadataTopic describe_cluster_topic(const cluster::TopicMetadata& topic,
                                     const std::vector<cluster::BrokerAddress>& live);

}  // namespace broker::server::handlers
