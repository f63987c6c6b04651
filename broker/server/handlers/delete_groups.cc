#include "broker/server/handlers/delete_groups.h"

#include "broker/cluster/shard_set.h"
#include "broker/server/groups/group_coordinator.h"
#include "broker/server/handlers/group_routing.h"

namespace broker::server::handlers {

awaitable<DeleteGroupsHandler::Response> DeleteGroupsHandler::handle(RequestContext& ctx,
                                                                     Request request) {
    Response response;
    for (const auto& group_id : request.groups_names) {
        const auto shard = group_shard(ctx, group_id);
        const groups::ErrorCode error = co_await ctx.shards().invoke_on(
            shard, &groups::GroupCoordinator::delete_group, coordinator_on(ctx, shard), group_id);
        response.results.push_back({group_id, static_cast<int16_t>(error)});
    }
    co_return response;
}

}  // namespace broker::server::handlers
