#pragma once
// SyncGroup (key 14): the leader hands in the assignment; every member waits for its share, which
// is durable in __consumer_offsets before anyone gets it (v5: protocol type/name checked).

#include "broker/server/handler.h"
#include "common/protocol/messages/sync_group.h"

namespace broker::server::handlers {

struct SyncGroupHandler {
    using Request = common::protocol::SyncGroupRequest;
    using Response = common::protocol::SyncGroupResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 5;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
