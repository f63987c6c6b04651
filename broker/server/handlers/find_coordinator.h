#pragma once
// FindCoordinator (key 10): the broker that coordinates a group (key type 0) — on a single
// broker, this broker's advertised address for the request's listener; in clustered mode the
// active controller's (COORDINATOR_NOT_AVAILABLE while there is none). Transaction
// coordinators (key type 1) are not offered yet: COORDINATOR_NOT_AVAILABLE. Stateless.

#include "broker/server/handler.h"
#include "common/protocol/messages/find_coordinator.h"

namespace broker::server::handlers {

struct FindCoordinatorHandler {
    using Request = common::protocol::FindCoordinatorRequest;
    using Response = common::protocol::FindCoordinatorResponse;
    // v4: batched keys; v5: same shape; v6: key type 2 (share groups), refused as INVALID_REQUEST.
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 6;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
