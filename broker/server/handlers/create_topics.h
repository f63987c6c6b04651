#pragma once
// CreateTopics (key 19): one result per requested topic, in request order.

#include "broker/server/handler.h"
#include "common/protocol/messages/create_topics.h"

namespace broker::server::handlers {

struct CreateTopicsHandler {
    using Request = common::protocol::CreateTopicsRequest;
    using Response = common::protocol::CreateTopicsResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 7;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
