#include "broker/server/request_context.h"

#include "broker/cluster/shard_set.h"

namespace broker::server {

cluster::ShardIndex RequestContext::shard_of(std::string_view topic, int32_t partition) const {
    return cluster::shard_of(topic, partition, services_.shards->size());
}

}  // namespace broker::server
