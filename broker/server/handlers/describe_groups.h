#pragma once
// DescribeGroups (key 15): state, protocol and members of each group (metadata and assignments
// while Stable); unknown groups are Dead, as Kafka reports them.

#include "broker/server/handler.h"
#include "common/protocol/messages/describe_groups.h"

namespace broker::server::handlers {

struct DescribeGroupsHandler {
    using Request = common::protocol::DescribeGroupsRequest;
    using Response = common::protocol::DescribeGroupsResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 5;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
