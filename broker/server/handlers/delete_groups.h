#pragma once
// DeleteGroups (key 42): deletes Empty groups and their offsets (NON_EMPTY_GROUP while members
// remain, GROUP_ID_NOT_FOUND if unknown).

#include "broker/server/handler.h"
#include "common/protocol/messages/delete_groups.h"

namespace broker::server::handlers {

struct DeleteGroupsHandler {
    using Request = common::protocol::DeleteGroupsRequest;
    using Response = common::protocol::DeleteGroupsResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 2;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
