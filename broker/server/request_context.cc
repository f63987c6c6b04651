#include "broker/server/request_context.h"

#include "broker/cluster/metadata_cache.h"
#include "broker/cluster/shard_set.h"

namespace broker::server {

std::string RequestContext::cluster_id() const {
    return cluster::served_cluster_id(services_.metadata, services_.cluster_id);
}

cluster::ShardIndex RequestContext::shard_of(std::string_view topic, int32_t partition) const {
    // Clustered mode: replicated partitions (__consumer_offsets included) live on shard 0,
    // beside the Raft groups.
    if (clustered()) return 0;
    return cluster::shard_of(topic, partition, services_.shards->size());
}

}  // namespace broker::server
