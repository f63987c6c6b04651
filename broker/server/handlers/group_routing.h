#pragma once
// Where a consumer group lives: the shard that owns the group's __consumer_offsets partition,
// whose GroupCoordinator serves it. Shared by the group handlers (JoinGroup ... DeleteGroups).
// In clustered mode that is shard 0, beside the replicated partitions; its coordinator serves
// the groups of the __consumer_offsets partitions this broker leads and answers NOT_COORDINATOR
// for the others (FindCoordinator names the leader).

#include <string>
#include <string_view>

#include "broker/cluster/shard.h"
#include "broker/server/request_context.h"

namespace broker::server::handlers {

// The shard whose coordinator serves `group_id` (callable on any shard).
cluster::ShardIndex group_shard(RequestContext& ctx, std::string_view group_id);
// That shard's coordinator; only to be used on that shard (pass it to invoke_on).
groups::GroupCoordinator* coordinator_on(RequestContext& ctx, cluster::ShardIndex shard);
// Kafka's client_host for a member: "/" + the client's address.
std::string client_host(const RequestContext& ctx);

}  // namespace broker::server::handlers
