#pragma once
// JoinGroup (key 11): joins a member to a group on the group's coordinator shard and waits for the
// rebalance to complete (v4+: a new member first gets MEMBER_ID_REQUIRED with its id; v5+: static
// membership; v9: skip_assignment for a static leader's rejoin).

#include "broker/server/handler.h"
#include "common/protocol/messages/join_group.h"

namespace broker::server::handlers {

struct JoinGroupHandler {
    using Request = common::protocol::JoinGroupRequest;
    using Response = common::protocol::JoinGroupResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 9;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
