#include "broker/server/handlers/sync_group.h"

#include "broker/cluster/shard_set.h"
#include "broker/server/groups/group_coordinator.h"
#include "broker/server/handlers/group_routing.h"

namespace broker::server::handlers {

awaitable<SyncGroupHandler::Response> SyncGroupHandler::handle(RequestContext& ctx,
                                                               Request request) {
    groups::SyncArgs args;
    args.member_id = request.member_id;
    args.instance_id = request.group_instance_id;
    args.generation = request.generation_id;
    args.protocol_type = request.protocol_type;
    args.protocol_name = request.protocol_name;
    for (auto& a : request.assignments) {
        args.assignments.emplace_back(a.member_id, std::move(a.assignment));
    }
    const auto shard = group_shard(ctx, request.group_id);
    groups::SyncReply reply = co_await ctx.shards().invoke_on(
        shard, &groups::GroupCoordinator::sync, coordinator_on(ctx, shard), request.group_id, args);
    Response response;
    response.error_code = static_cast<int16_t>(reply.error);
    if (reply.error == groups::ErrorCode::None) {
        response.protocol_type = reply.protocol_type;
        response.protocol_name = reply.protocol_name;
        response.assignment = std::move(reply.assignment);
    }
    co_return response;
}

}  // namespace broker::server::handlers
