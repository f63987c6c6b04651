#include "broker/server/handlers/registry.h"

#include "broker/server/handlers/handler_list.h"

namespace broker::server::handlers {
namespace {

template <class... Hs>
HandlerTable build(HandlerList<Hs...>) {
    HandlerTable table;
    (table.add(entry_for<Hs>()), ...);
    return table;
}

}  // namespace

const HandlerTable& handler_table() {
    static const HandlerTable table = build(AllHandlers{});
    return table;
}

}  // namespace broker::server::handlers
