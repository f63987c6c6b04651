#include "broker/server/handlers/describe_groups.h"

#include <climits>

#include "broker/cluster/shard_set.h"
#include "broker/server/groups/group_coordinator.h"
#include "broker/server/handlers/group_routing.h"

namespace broker::server::handlers {
namespace {

// READ, DELETE and DESCRIBE (Kafka's AclOperation codes 3, 6 and 8): every group operation.
constexpr int32_t kGroupOperations = (1 << 3) | (1 << 6) | (1 << 8);

}  // namespace

awaitable<DescribeGroupsHandler::Response> DescribeGroupsHandler::handle(RequestContext& ctx,
                                                                         Request request) {
    Response response;
    for (const auto& group_id : request.groups) {
        const auto shard = group_shard(ctx, group_id);
        auto [error, d] = co_await ctx.shards().invoke_on(
            shard, &groups::GroupCoordinator::describe, coordinator_on(ctx, shard), group_id);
        auto& out = response.groups.emplace_back();
        out.group_id = group_id;
        out.error_code = static_cast<int16_t>(error);
        out.authorized_operations =
            request.include_authorized_operations ? kGroupOperations : INT32_MIN;
        if (error != groups::ErrorCode::None) continue;
        out.group_state = std::string(groups::state_name(d.state));
        out.protocol_type = d.protocol_type;
        out.protocol_data = d.protocol;
        for (auto& m : d.members) {
            out.members.push_back({m.member_id, m.instance_id, m.client_id, m.client_host,
                                   std::move(m.metadata), std::move(m.assignment)});
        }
    }
    co_return response;
}

}  // namespace broker::server::handlers
