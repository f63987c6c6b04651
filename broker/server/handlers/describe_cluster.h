#pragma once
// DescribeCluster (key 60): this node as the only broker and the controller; in clustered mode
// the live brokers and the controller quorum leader.

#include "broker/server/handler.h"
#include "common/protocol/messages/describe_cluster.h"

namespace broker::server::handlers {

struct DescribeClusterHandler {
    using Request = common::protocol::DescribeClusterRequest;
    using Response = common::protocol::DescribeClusterResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 1;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
