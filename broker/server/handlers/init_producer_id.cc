#include "broker/server/handlers/init_producer_id.h"

#include "broker/cluster/shard_set.h"
#include "broker/config/broker_config.h"
#include "broker/partition/error_mapping.h"
#include "broker/partition/partition_manager.h"
#include "common/protocol/error_code.h"

namespace broker::server::handlers {
namespace {

using common::protocol::ErrorCode;

// The shard whose PartitionManager allocates producer ids.
constexpr cluster::ShardIndex kAllocatorShard = 0;

// The outcome of an allocation, as it crosses back from the allocator's shard.
struct Allocated {
    std::error_code error;
    int64_t producer_id = -1;
};

// Runs on the allocator's shard. `cluster_node` >= 0 (clustered mode): the id is made unique
// across the cluster (partition::cluster_producer_id).
Allocated allocate_on_shard(partition::PartitionManager* pm, int32_t cluster_node) {
    auto id = pm->allocate_producer_id();
    if (!id) return {id.error(), -1};
    if (cluster_node < 0) return {{}, id.value()};
    auto unique = partition::cluster_producer_id(id.value(), cluster_node);
    if (!unique) return {unique.error(), -1};
    return {{}, unique.value()};
}

}  // namespace

awaitable<InitProducerIdHandler::Response> InitProducerIdHandler::handle(RequestContext& ctx,
                                                                         Request request) {
    Response response;
    response.producer_id = -1;
    response.producer_epoch = -1;
    if (request.transactional_id) {
        response.error_code = static_cast<int16_t>(request.transactional_id->empty()
                                                       ? ErrorCode::InvalidRequest
                                                       : ErrorCode::CoordinatorNotAvailable);
        co_return response;
    }
    const int32_t cluster_node = ctx.clustered() ? ctx.config().node_id : -1;
    Allocated a = co_await ctx.shards().invoke_on(
        kAllocatorShard, allocate_on_shard, &ctx.partitions().on(kAllocatorShard), cluster_node);
    response.error_code = partition::to_kafka_code(a.error);
    if (!a.error) {
        response.producer_id = a.producer_id;
        response.producer_epoch = 0;
    }
    co_return response;
}

}  // namespace broker::server::handlers
