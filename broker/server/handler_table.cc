#include "broker/server/handler_table.h"

namespace broker::server {

std::vector<common::protocol::ApiVersionsResponse::ApiVersion> HandlerTable::advertised() const {
    std::vector<common::protocol::ApiVersionsResponse::ApiVersion> out;
    for (const auto& e : entries_) {
        if (e.fn == nullptr) continue;
        out.push_back({e.api_key, e.min_version, e.max_version});
    }
    return out;
}

}  // namespace broker::server
