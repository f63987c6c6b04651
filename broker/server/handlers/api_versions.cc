#include "broker/server/handlers/api_versions.h"

#include "broker/server/handlers/registry.h"

namespace broker::server::handlers {

awaitable<ApiVersionsHandler::Response> ApiVersionsHandler::handle(RequestContext&, Request) {
    Response response;
    response.api_keys = handler_table().advertised();
    co_return response;
}

}  // namespace broker::server::handlers
