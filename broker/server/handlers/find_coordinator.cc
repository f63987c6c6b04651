#include "broker/server/handlers/find_coordinator.h"

#include "broker/cluster/metadata_cache.h"
#include "broker/config/broker_config.h"
#include "broker/server/handlers/cluster_info.h"
#include "common/protocol/error_code.h"

namespace broker::server::handlers {
namespace {

using common::protocol::ErrorCode;
using Coordinator = FindCoordinatorHandler::Response::Coordinator;

constexpr int8_t kGroupKey = 0;
constexpr int8_t kTransactionKey = 1;

Coordinator unavailable(Coordinator c, ErrorCode e) {
    c.error_code = static_cast<int16_t>(e);
    c.node_id = -1;
    c.port = -1;
    return c;
}

// Clustered mode: groups are coordinated by the active controller, at its address on the
// request's listener; none while there is no controller or it is not live.
Coordinator locate_in_cluster(RequestContext& ctx, Coordinator c) {
    const int32_t controller = ctx.controller_id();
    for (const auto& b : ctx.metadata().live_brokers(ctx.listener())) {
        if (b.id != controller) continue;
        c.node_id = b.id;
        c.host = b.host;
        c.port = b.port;
        return c;
    }
    return unavailable(std::move(c), ErrorCode::CoordinatorNotAvailable);
}

Coordinator locate(RequestContext& ctx, const std::string& key, int8_t key_type) {
    Coordinator c;
    c.key = key;
    c.error_message = std::nullopt;
    if (key_type != kGroupKey) {
        const ErrorCode e = key_type == kTransactionKey ? ErrorCode::CoordinatorNotAvailable
                                                        : ErrorCode::InvalidRequest;
        return unavailable(std::move(c), e);
    }
    if (ctx.clustered()) return locate_in_cluster(ctx, std::move(c));
    auto [host, port] = advertised_endpoint(ctx.config(), ctx.listener());
    c.node_id = ctx.config().node_id;
    c.host = host;
    c.port = port;
    return c;
}

}  // namespace

awaitable<FindCoordinatorHandler::Response> FindCoordinatorHandler::handle(RequestContext& ctx,
                                                                           Request request) {
    Response response;
    if (ctx.api_version() >= 4) {
        for (const auto& key : request.coordinator_keys) {
            response.coordinators.push_back(locate(ctx, key, request.key_type));
        }
        co_return response;
    }
    Coordinator c = locate(ctx, request.key, request.key_type);
    response.error_code = c.error_code;
    response.error_message = std::nullopt;
    response.node_id = c.node_id;
    response.host = c.host;
    response.port = c.port;
    co_return response;
}

}  // namespace broker::server::handlers
