#pragma once
// Fetch (key 1): reads whole batches, byte-for-byte as stored, from each requested partition up
// to the high watermark. Long poll: waits (no polling) until min_bytes are available or
// max_wait_ms passes, woken by appends on any requested partition. Honours partition and
// response max_bytes with KIP-74's "at least one batch" for the first partition with data.
// Fetch sessions (KIP-227) are declined: every fetch is a full, sessionless fetch. Stateless.

#include "broker/server/handler.h"
#include "common/protocol/messages/fetch.h"

namespace broker::server::handlers {

struct FetchHandler {
    using Request = common::protocol::FetchRequest;
    using Response = common::protocol::FetchResponse;
    // v4: magic-v2 batches and last stable offset; v12: flexible encoding. v13+ needs topic ids.
    static constexpr int16_t kMinVersion = 4;
    static constexpr int16_t kMaxVersion = 12;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
