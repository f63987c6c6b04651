#include "broker/server/handlers/create_partitions.h"

#include <set>

#include "broker/cluster/topics.h"
#include "broker/config/broker_config.h"
#include "broker/server/error_mapping.h"

namespace broker::server::handlers {

namespace proto = common::protocol;
using proto::ErrorCode;
using Response = CreatePartitionsHandler::Response;

namespace {

Response::CreatePartitionsTopicResult result(const std::string& name, ErrorCode code,
                                             std::string message) {
    Response::CreatePartitionsTopicResult r;
    r.name = name;
    r.error_code = static_cast<int16_t>(code);
    if (!message.empty()) r.error_message = std::move(message);
    return r;
}

// Explicit assignments must put each new partition on this node only.
bool assignments_valid(const CreatePartitionsHandler::Request::CreatePartitionsTopic& t,
                       int32_t node) {
    if (!t.assignments) return true;
    for (const auto& a : *t.assignments) {
        if (a.broker_ids != std::vector{node}) return false;
    }
    return true;
}

}  // namespace

awaitable<Response> CreatePartitionsHandler::handle(RequestContext& ctx, Request request) {
    Response response;
    std::multiset<std::string> names;
    for (const auto& t : request.topics) names.insert(t.name);
    for (const auto& t : request.topics) {
        if (names.count(t.name) > 1) {
            response.results.push_back(
                result(t.name, ErrorCode::InvalidRequest, "Duplicate topic in the request."));
            continue;
        }
        if (!assignments_valid(t, ctx.config().node_id)) {
            response.results.push_back(result(
                t.name, ErrorCode::InvalidReplicaAssignment,
                "Assignments may only name broker " + std::to_string(ctx.config().node_id) + "."));
            continue;
        }
        auto status =
            co_await ctx.topics().create_partitions(t.name, t.count, request.validate_only);
        response.results.push_back(result(t.name, to_kafka_error(status.error), status.message));
    }
    co_return response;
}

}  // namespace broker::server::handlers
