#include "broker/server/handlers/incremental_alter_configs.h"

#include <set>

#include "broker/cluster/topics.h"
#include "broker/server/error_mapping.h"
#include "broker/server/handlers/alter_result.h"
#include "broker/server/handlers/resource_type.h"

namespace broker::server::handlers {

namespace proto = common::protocol;
using proto::ErrorCode;
using Request = IncrementalAlterConfigsHandler::Request;
using Response = IncrementalAlterConfigsHandler::Response;
using Result = Response::AlterConfigsResourceResponse;

namespace {

// Converts the request's changes; returns an error message for a bad operation or a duplicate.
std::string to_changes(const Request::AlterConfigsResource& resource,
                       std::vector<cluster::ConfigChange>* out) {
    std::set<std::string> seen;
    for (const auto& c : resource.configs) {
        if (!seen.insert(c.name).second) return "Duplicate config key: " + c.name;
        if (c.config_operation < 0 || c.config_operation > 3) {
            return "Unknown config operation " + std::to_string(c.config_operation);
        }
        out->push_back(
            {c.name, static_cast<cluster::ConfigChange::Op>(c.config_operation), c.value});
    }
    return "";
}

}  // namespace

awaitable<Response> IncrementalAlterConfigsHandler::handle(RequestContext& ctx, Request request) {
    Response response;
    for (const auto& resource : request.resources) {
        if (static_cast<ResourceType>(resource.resource_type) != ResourceType::Topic) {
            response.responses.push_back(
                non_topic_result<Result>(resource.resource_type, resource.resource_name));
            continue;
        }
        std::vector<cluster::ConfigChange> changes;
        if (auto problem = to_changes(resource, &changes); !problem.empty()) {
            response.responses.push_back(
                make_alter_result<Result>(resource.resource_type, resource.resource_name,
                                          ErrorCode::InvalidRequest, problem));
            continue;
        }
        auto status = co_await ctx.topics().alter_configs(
            resource.resource_name, std::move(changes), request.validate_only);
        response.responses.push_back(
            make_alter_result<Result>(resource.resource_type, resource.resource_name,
                                      to_kafka_error(status.error), status.message));
    }
    co_return response;
}

}  // namespace broker::server::handlers
