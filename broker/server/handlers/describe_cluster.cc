#include "broker/server/handlers/describe_cluster.h"

#include "broker/cluster/metadata_cache.h"
#include "broker/config/broker_config.h"
#include "broker/server/handlers/cluster_info.h"
#include "common/protocol/error_code.h"

namespace broker::server::handlers {

namespace proto = common::protocol;

awaitable<DescribeClusterHandler::Response> DescribeClusterHandler::handle(RequestContext& ctx,
                                                                           Request request) {
    constexpr int8_t kBrokerEndpoints = 1;
    Response response;
    response.endpoint_type = request.endpoint_type;
    if (ctx.api_version() >= 1 && request.endpoint_type != kBrokerEndpoints) {
        response.error_code = static_cast<int16_t>(proto::ErrorCode::UnsupportedEndpointType);
        response.error_message = "Only broker endpoints (endpoint type 1) are served.";
        co_return response;
    }
    response.cluster_id = ctx.cluster_id();
    if (ctx.clustered()) {
        // Clustered: the live brokers on the request's listener and the quorum leader.
        for (const auto& b : ctx.metadata().live_brokers(ctx.listener())) {
            response.brokers.push_back({b.id, b.host, b.port, b.rack});
        }
        response.controller_id = ctx.controller_id();
        co_return response;
    }
    const auto& config = ctx.config();
    auto [host, port] = advertised_endpoint(config, ctx.listener());
    response.controller_id = config.node_id;
    response.brokers.push_back({config.node_id, host, port, config.broker_rack});
    co_return response;
}

}  // namespace broker::server::handlers
