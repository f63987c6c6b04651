#pragma once
// AlterConfigs (key 33): replaces a topic's overrides. Broker configs are static here.

#include "broker/server/handler.h"
#include "common/protocol/messages/alter_configs.h"

namespace broker::server::handlers {

struct AlterConfigsHandler {
    using Request = common::protocol::AlterConfigsRequest;
    using Response = common::protocol::AlterConfigsResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 2;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
