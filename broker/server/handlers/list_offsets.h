#pragma once
// ListOffsets (key 2): per partition, the earliest (-2) or latest (-1) offset, the offset of the
// largest timestamp (-3, v7+), or the first offset at or after a timestamp (time index).
// Latest is the high watermark (also the last stable offset: no transactions yet). Stateless.

#include "broker/server/handler.h"
#include "common/protocol/messages/list_offsets.h"

namespace broker::server::handlers {

struct ListOffsetsHandler {
    using Request = common::protocol::ListOffsetsRequest;
    using Response = common::protocol::ListOffsetsResponse;
    // v7: max timestamp (-3). v8+ add tiered-storage lookups, not offered.
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 7;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
