#pragma once
// OffsetDelete (key 47): removes committed offsets of an Empty group, or of topics no member of a
// consumer group subscribes to (GROUP_SUBSCRIBED_TO_TOPIC otherwise).

#include "broker/server/handler.h"
#include "common/protocol/messages/offset_delete.h"

namespace broker::server::handlers {

struct OffsetDeleteHandler {
    using Request = common::protocol::OffsetDeleteRequest;
    using Response = common::protocol::OffsetDeleteResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 0;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
