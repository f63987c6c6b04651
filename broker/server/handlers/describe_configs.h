#pragma once
// DescribeConfigs (key 32): topic and broker resources, with sources and (v1+) synonyms.

#include "broker/server/handler.h"
#include "common/protocol/messages/describe_configs.h"

namespace broker::server::handlers {

struct DescribeConfigsHandler {
    using Request = common::protocol::DescribeConfigsRequest;
    using Response = common::protocol::DescribeConfigsResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 4;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
