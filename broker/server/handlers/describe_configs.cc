#include "broker/server/handlers/describe_configs.h"

#include <algorithm>

#include "broker/cluster/topic_config.h"
#include "broker/cluster/topics.h"
#include "broker/config/broker_config.h"
#include "broker/server/handlers/config_source.h"
#include "broker/server/handlers/resource_type.h"
#include "common/protocol/error_code.h"

namespace broker::server::handlers {

namespace proto = common::protocol;
using proto::ErrorCode;
using Request = DescribeConfigsHandler::Request;
using Response = DescribeConfigsHandler::Response;
using ConfigResult = Response::DescribeConfigsResourceResult;

namespace {

int8_t source_code(KafkaConfigSource s) {
    return static_cast<int8_t>(s);
}

bool wanted(const Request::DescribeConfigsResource& resource, const std::string& name) {
    if (!resource.configuration_keys) return true;
    const auto& keys = *resource.configuration_keys;
    return keys.empty() || std::find(keys.begin(), keys.end(), name) != keys.end();
}

ConfigResult topic_entry(const cluster::ResolvedConfig& c, bool synonyms) {
    ConfigResult r;
    r.name = c.name;
    r.value = c.value;
    r.read_only = false;
    r.is_default = c.source == cluster::ConfigSource::Default;
    r.config_source = to_kafka_source(c.source);
    r.config_type = c.kafka_type;
    r.documentation = std::nullopt;
    if (!synonyms) return r;
    if (c.source == cluster::ConfigSource::Topic) {
        r.synonyms.push_back({c.name, c.value, source_code(KafkaConfigSource::DynamicTopicConfig)});
    }
    if (c.broker_value_set) {
        r.synonyms.push_back(
            {c.broker_name, c.broker_value, source_code(KafkaConfigSource::StaticBrokerConfig)});
    }
    if (!c.broker_name.empty()) {
        r.synonyms.push_back(
            {c.broker_name, c.default_value, source_code(KafkaConfigSource::DefaultConfig)});
    } else {
        r.synonyms.push_back(
            {c.name, c.default_value, source_code(KafkaConfigSource::DefaultConfig)});
    }
    return r;
}

ConfigResult broker_entry(const config::Entry& e, bool synonyms) {
    ConfigResult r;
    r.name = e.name;
    r.value = e.sensitive ? std::nullopt : std::optional<std::string>(e.value);
    r.read_only = e.read_only;
    r.is_sensitive = e.sensitive;
    bool is_static = e.source == config::Source::StaticFile;
    r.is_default = !is_static;
    r.config_source = source_code(is_static ? KafkaConfigSource::StaticBrokerConfig
                                            : KafkaConfigSource::DefaultConfig);
    r.documentation = std::nullopt;
    if (synonyms) r.synonyms.push_back({r.name, r.value, r.config_source});
    return r;
}

Response::DescribeConfigsResult describe_topic(RequestContext& ctx,
                                               const Request::DescribeConfigsResource& resource,
                                               bool synonyms) {
    Response::DescribeConfigsResult out;
    out.resource_type = resource.resource_type;
    out.resource_name = resource.resource_name;
    out.error_message = std::nullopt;
    const auto* topic = ctx.topics().snapshot()->find(resource.resource_name);
    if (topic == nullptr) {
        out.error_code = static_cast<int16_t>(ErrorCode::UnknownTopicOrPartition);
        out.error_message = "Topic " + resource.resource_name + " does not exist.";
        return out;
    }
    for (const auto& c : cluster::resolve_topic_configs(topic->configs, ctx.config())) {
        if (wanted(resource, c.name)) out.configs.push_back(topic_entry(c, synonyms));
    }
    return out;
}

Response::DescribeConfigsResult describe_broker(RequestContext& ctx,
                                                const Request::DescribeConfigsResource& resource,
                                                bool synonyms) {
    Response::DescribeConfigsResult out;
    out.resource_type = resource.resource_type;
    out.resource_name = resource.resource_name;
    out.error_message = std::nullopt;
    if (resource.resource_name.empty()) return out;  // cluster-wide dynamic defaults: none
    if (resource.resource_name != std::to_string(ctx.config().node_id)) {
        out.error_code = static_cast<int16_t>(ErrorCode::InvalidRequest);
        out.error_message = "Unexpected broker id, expected " +
                            std::to_string(ctx.config().node_id) +
                            " or empty string, but "
                            "received " +
                            resource.resource_name;
        return out;
    }
    for (const auto& e : ctx.config().entries) {
        if (wanted(resource, e.name)) out.configs.push_back(broker_entry(e, synonyms));
    }
    return out;
}

}  // namespace

awaitable<Response> DescribeConfigsHandler::handle(RequestContext& ctx, Request request) {
    Response response;
    bool synonyms = ctx.api_version() >= 1 && request.include_synonyms;
    for (const auto& resource : request.resources) {
        switch (static_cast<ResourceType>(resource.resource_type)) {
            case ResourceType::Topic:
                response.results.push_back(describe_topic(ctx, resource, synonyms));
                break;
            case ResourceType::Broker:
                response.results.push_back(describe_broker(ctx, resource, synonyms));
                break;
            default: {
                Response::DescribeConfigsResult out;
                out.resource_type = resource.resource_type;
                out.resource_name = resource.resource_name;
                out.error_code = static_cast<int16_t>(ErrorCode::InvalidRequest);
                out.error_message =
                    "Unsupported resource type " + std::to_string(resource.resource_type);
                response.results.push_back(std::move(out));
            }
        }
    }
    co_return response;
}

}  // namespace broker::server::handlers
