#pragma once
// DeleteTopics (key 20): by name (v0-5) or by name or id (v6); one result per topic, in order.

#include "broker/server/handler.h"
#include "common/protocol/messages/delete_topics.h"

namespace broker::server::handlers {

struct DeleteTopicsHandler {
    using Request = common::protocol::DeleteTopicsRequest;
    using Response = common::protocol::DeleteTopicsResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 6;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
