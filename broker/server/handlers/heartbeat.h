#pragma once
// Heartbeat (key 12): keeps a member's session alive on the group's coordinator shard;
// REBALANCE_IN_PROGRESS tells it to rejoin.

#include "broker/server/handler.h"
#include "common/protocol/messages/heartbeat.h"

namespace broker::server::handlers {

struct HeartbeatHandler {
    using Request = common::protocol::HeartbeatRequest;
    using Response = common::protocol::HeartbeatResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 4;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
