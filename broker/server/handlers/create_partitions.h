#pragma once
// CreatePartitions (key 37): grows topics; one result per topic, in request order.

#include "broker/server/handler.h"
#include "common/protocol/messages/create_partitions.h"

namespace broker::server::handlers {

struct CreatePartitionsHandler {
    using Request = common::protocol::CreatePartitionsRequest;
    using Response = common::protocol::CreatePartitionsResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 3;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
