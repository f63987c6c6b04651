#pragma once
// The handler table built from the ONE list in handler_list.h.

#include "broker/server/handler_table.h"

namespace broker::server::handlers {

// Built on first use; immutable, shared by every shard.
const HandlerTable& handler_table();

}  // namespace broker::server::handlers
