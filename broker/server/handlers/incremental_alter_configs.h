#pragma once
// IncrementalAlterConfigs (key 44): SET / DELETE / APPEND / SUBTRACT on topic configs.

#include "broker/server/handler.h"
#include "common/protocol/messages/incremental_alter_configs.h"

namespace broker::server::handlers {

struct IncrementalAlterConfigsHandler {
    using Request = common::protocol::IncrementalAlterConfigsRequest;
    using Response = common::protocol::IncrementalAlterConfigsResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 1;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
