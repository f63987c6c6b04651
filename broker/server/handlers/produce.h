#pragma once
// Produce (key 0): appends one record batch per partition, with acks 0 (no response), 1 (after
// the append) or -1 (after the append is fdatasync'ed, group-committed per partition).
// Unknown topics are auto-created when auto.create.topics.enable. Stateless.

#include "broker/server/handler.h"
#include "common/protocol/messages/produce.h"

namespace broker::server::handlers {

struct ProduceHandler {
    using Request = common::protocol::ProduceRequest;
    using Response = common::protocol::ProduceResponse;
    // v3: magic-v2 batches (idempotence); v9: flexible encoding.
    static constexpr int16_t kMinVersion = 3;
    static constexpr int16_t kMaxVersion = 9;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
