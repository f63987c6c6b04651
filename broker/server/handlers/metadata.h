#pragma once
// Metadata (key 3): brokers, the controller, and the requested topics with their partitions;
// auto-creates unknown topics when allowed. A single node is the only broker, the controller and
// every partition's leader; in clustered mode all of it comes from the controller quorum's
// metadata (cluster_metadata.h).

#include "broker/server/handler.h"
#include "common/protocol/messages/metadata.h"

namespace broker::server::handlers {

struct MetadataHandler {
    using Request = common::protocol::MetadataRequest;
    using Response = common::protocol::MetadataResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 12;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
