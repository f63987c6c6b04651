#pragma once
// OffsetFetch (key 9): committed offsets of one group (v0-7; null topics = all, v2+) or several
// groups (v8+). No transactions yet, so require_stable never waits.

#include "broker/server/handler.h"
#include "common/protocol/messages/offset_fetch.h"

namespace broker::server::handlers {

struct OffsetFetchHandler {
    using Request = common::protocol::OffsetFetchRequest;
    using Response = common::protocol::OffsetFetchResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 9;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
