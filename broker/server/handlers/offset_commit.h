#pragma once
// OffsetCommit (key 8): stores committed offsets for a group's members (generation checked) or for
// a simple consumer (generation -1, no members); durable before the answer. v1 commit timestamps
// and v2-4 retention_time give explicit expiry.

#include "broker/server/handler.h"
#include "common/protocol/messages/offset_commit.h"

namespace broker::server::handlers {

struct OffsetCommitHandler {
    using Request = common::protocol::OffsetCommitRequest;
    using Response = common::protocol::OffsetCommitResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 9;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
