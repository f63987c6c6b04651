#include "broker/server/handlers/leave_group.h"

#include "broker/cluster/shard_set.h"
#include "broker/server/groups/group_coordinator.h"
#include "broker/server/handlers/group_routing.h"

namespace broker::server::handlers {

awaitable<LeaveGroupHandler::Response> LeaveGroupHandler::handle(RequestContext& ctx,
                                                                 Request request) {
    const bool batch = ctx.api_version() >= 3;
    std::vector<groups::LeaveIdentity> leaving;
    if (batch) {
        for (const auto& m : request.members) leaving.push_back({m.member_id, m.group_instance_id});
    } else {
        leaving.push_back({request.member_id, std::nullopt});
    }
    const auto shard = group_shard(ctx, request.group_id);
    groups::LeaveResult result =
        co_await ctx.shards().invoke_on(shard, &groups::GroupCoordinator::leave,
                                        coordinator_on(ctx, shard), request.group_id, leaving);
    Response response;
    response.error_code = static_cast<int16_t>(result.error);
    if (!batch) {
        if (result.error == groups::ErrorCode::None && !result.members.empty()) {
            response.error_code = static_cast<int16_t>(result.members.front());
        }
        co_return response;
    }
    if (result.error != groups::ErrorCode::None) co_return response;
    for (size_t i = 0; i < leaving.size(); ++i) {
        auto& out = response.members.emplace_back();
        out.member_id = leaving[i].member_id;
        out.group_instance_id = leaving[i].instance_id;
        out.error_code = static_cast<int16_t>(result.members[i]);
    }
    co_return response;
}

}  // namespace broker::server::handlers
