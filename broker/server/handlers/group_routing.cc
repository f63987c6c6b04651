#include "broker/server/handlers/group_routing.h"

#include "broker/server/groups/group_coordinator.h"

namespace broker::server::handlers {

cluster::ShardIndex group_shard(RequestContext& ctx, std::string_view group_id) {
    const int32_t partition = ctx.groups().on(ctx.shard()).partition_for(group_id);
    return ctx.shard_of(groups::kOffsetsTopic, partition);
}

groups::GroupCoordinator* coordinator_on(RequestContext& ctx, cluster::ShardIndex shard) {
    return &ctx.groups().on(shard);
}

std::string client_host(const RequestContext& ctx) {
    const std::string& peer = ctx.peer();
    auto colon = peer.rfind(':');
    std::string host = colon == std::string::npos ? peer : peer.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    return "/" + host;
}

}  // namespace broker::server::handlers
