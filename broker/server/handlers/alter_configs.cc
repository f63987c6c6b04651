#include "broker/server/handlers/alter_configs.h"

#include "broker/cluster/topics.h"
#include "broker/server/error_mapping.h"
#include "broker/server/handlers/alter_result.h"
#include "broker/server/handlers/resource_type.h"

namespace broker::server::handlers {

namespace proto = common::protocol;
using proto::ErrorCode;
using Response = AlterConfigsHandler::Response;
using Result = Response::AlterConfigsResourceResponse;

awaitable<Response> AlterConfigsHandler::handle(RequestContext& ctx, Request request) {
    Response response;
    for (auto& resource : request.resources) {
        auto type = static_cast<ResourceType>(resource.resource_type);
        if (type != ResourceType::Topic) {
            response.responses.push_back(
                non_topic_result<Result>(resource.resource_type, resource.resource_name));
            continue;
        }
        cluster::TopicConfigMap configs;
        std::string problem;
        for (const auto& c : resource.configs) {
            if (!c.value) problem = "Null value not supported for topic configs: " + c.name;
            if (configs.count(c.name) != 0) problem = "Duplicate config key: " + c.name;
            configs[c.name] = c.value.value_or("");
        }
        if (!problem.empty()) {
            response.responses.push_back(
                make_alter_result<Result>(resource.resource_type, resource.resource_name,
                                          ErrorCode::InvalidRequest, problem));
            continue;
        }
        auto status = co_await ctx.topics().replace_configs(
            resource.resource_name, std::move(configs), request.validate_only);
        response.responses.push_back(
            make_alter_result<Result>(resource.resource_type, resource.resource_name,
                                      to_kafka_error(status.error), status.message));
    }
    co_return response;
}

}  // namespace broker::server::handlers
