#pragma once
// ApiVersions (key 18): advertises exactly the handler list. An unsupported request version is
// answered by the dispatcher (KIP-511), never here.

#include "broker/server/handler.h"
#include "common/protocol/messages/api_versions.h"

namespace broker::server::handlers {

struct ApiVersionsHandler {
    using Request = common::protocol::ApiVersionsRequest;
    using Response = common::protocol::ApiVersionsResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 3;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
