#pragma once
// LeaveGroup (key 13): removes members (v0-2 one member id; v3+ a batch by member or
// group.instance.id, each with its own error).

#include "broker/server/handler.h"
#include "common/protocol/messages/leave_group.h"

namespace broker::server::handlers {

struct LeaveGroupHandler {
    using Request = common::protocol::LeaveGroupRequest;
    using Response = common::protocol::LeaveGroupResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 5;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
