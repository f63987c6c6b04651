#pragma once
// Where a consumer group lives: the shard that owns the group's __consumer_offsets partition,
// whose GroupCoordinator serves it. Shared by the group handlers (JoinGroup ... DeleteGroups).
// In clustered mode only the active controller coordinates groups (FindCoordinator names it),
// over its local __consumer_offsets; the other brokers answer NOT_COORDINATOR.

#include <string>
#include <string_view>

#include "broker/cluster/shard.h"
#include "broker/server/request_context.h"
#include "common/protocol/error_code.h"

namespace broker::server::handlers {

// NotCoordinator when this broker does not coordinate groups (clustered mode, not the active
// controller as last seen), else None. Every group API checks it first.
common::protocol::ErrorCode coordinator_error(const RequestContext& ctx);
// The shard whose coordinator serves `group_id` (callable on any shard).
cluster::ShardIndex group_shard(RequestContext& ctx, std::string_view group_id);
// That shard's coordinator; only to be used on that shard (pass it to invoke_on).
groups::GroupCoordinator* coordinator_on(RequestContext& ctx, cluster::ShardIndex shard);
// Kafka's client_host for a member: "/" + the client's address.
std::string client_host(const RequestContext& ctx);

}  // namespace broker::server::handlers
