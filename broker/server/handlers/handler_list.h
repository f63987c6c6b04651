#pragma once
// THE handler registry: every Kafka API this broker serves is listed here exactly once, and
// ApiVersions advertises exactly this list (key, kMinVersion, kMaxVersion). Include only from
// registry.cc.

#include "broker/server/handler.h"

namespace broker::server::handlers {

template <class... Hs>
struct HandlerList {};

}  // namespace broker::server::handlers

// Handlers (one #include per handler; keep sorted by API key):
// #include "broker/server/handlers/produce.h"          // 0  (datapath)
// #include "broker/server/handlers/fetch.h"            // 1  (datapath)
// #include "broker/server/handlers/list_offsets.h"     // 2  (datapath)
// #include "broker/server/handlers/init_producer_id.h" // 22 (datapath)

namespace broker::server::handlers {

using AllHandlers = HandlerList<>;

}  // namespace broker::server::handlers
