#include "broker/server/handlers/heartbeat.h"

#include "broker/cluster/shard_set.h"
#include "broker/server/groups/group_coordinator.h"
#include "broker/server/handlers/group_routing.h"

namespace broker::server::handlers {

awaitable<HeartbeatHandler::Response> HeartbeatHandler::handle(RequestContext& ctx,
                                                               Request request) {
    Response response;
    const auto shard = group_shard(ctx, request.group_id);
    groups::ErrorCode error = co_await ctx.shards().invoke_on(
        shard, &groups::GroupCoordinator::heartbeat, coordinator_on(ctx, shard), request.group_id,
        request.member_id, request.group_instance_id, request.generation_id);
    response.error_code = static_cast<int16_t>(error);
    co_return response;
}

}  // namespace broker::server::handlers
