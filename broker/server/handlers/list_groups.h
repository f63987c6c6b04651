#pragma once
// ListGroups (key 16): every group on every shard, with its state (v4+, filterable by state) and
// type (v5+, always classic).

#include "broker/server/handler.h"
#include "common/protocol/messages/list_groups.h"

namespace broker::server::handlers {

struct ListGroupsHandler {
    using Request = common::protocol::ListGroupsRequest;
    using Response = common::protocol::ListGroupsResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 5;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
