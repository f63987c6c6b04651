#include "broker/server/handlers/join_group.h"

// g++ 12 reports Asio's recycled coroutine frames as new/delete mismatches after inlining (a
// false positive, GCC PR 109224 family); see also broker/server/groups/group_api.cc.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include "broker/cluster/shard_set.h"
#include "broker/server/groups/group_coordinator.h"
#include "broker/server/handlers/group_routing.h"

namespace broker::server::handlers {

awaitable<JoinGroupHandler::Response> JoinGroupHandler::handle(RequestContext& ctx,
                                                               Request request) {
    const int16_t version = ctx.api_version();
    groups::JoinArgs args;
    args.member_id = request.member_id;
    args.instance_id = request.group_instance_id;
    args.client_id = ctx.client_id().value_or("");
    args.client_host = client_host(ctx);
    args.session_timeout_ms = request.session_timeout_ms;
    // v0 has no rebalance timeout: the session timeout serves as both.
    args.rebalance_timeout_ms =
        version >= 1 ? request.rebalance_timeout_ms : request.session_timeout_ms;
    args.protocol_type = request.protocol_type;
    for (auto& p : request.protocols) args.protocols.push_back({p.name, std::move(p.metadata)});
    args.require_known_member_id = version >= 4;
    args.supports_skip_assignment = version >= 9;

    const auto shard = group_shard(ctx, request.group_id);
    groups::JoinReply reply = co_await ctx.shards().invoke_on(
        shard, &groups::GroupCoordinator::join, coordinator_on(ctx, shard), request.group_id, args);
    Response response;
    response.error_code = static_cast<int16_t>(reply.error);
    response.generation_id = reply.generation;
    const bool ok = reply.error == groups::ErrorCode::None;
    response.protocol_type = ok ? std::optional<std::string>(reply.protocol_type) : std::nullopt;
    response.protocol_name = ok ? reply.protocol_name : std::nullopt;
    response.leader = reply.leader;
    response.skip_assignment = reply.skip_assignment;
    response.member_id = reply.member_id;
    for (auto& m : reply.members) {
        response.members.push_back({m.member_id, m.instance_id, std::move(m.metadata)});
    }
    co_return response;
}

}  // namespace broker::server::handlers
