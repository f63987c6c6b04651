#include "broker/server/handlers/metadata.h"

#include "broker/cluster/errc.h"
#include "broker/cluster/topic_table.h"
#include "broker/cluster/topics.h"
#include "broker/config/broker_config.h"
#include "broker/server/error_mapping.h"
#include "broker/server/handlers/cluster_info.h"

namespace broker::server::handlers {

namespace proto = common::protocol;
using proto::ErrorCode;
using Response = MetadataHandler::Response;

namespace {

Response::MetadataResponseTopic describe(const cluster::TopicInfo& topic, int32_t node) {
    Response::MetadataResponseTopic out;
    out.name = topic.name;
    out.topic_id = topic.id;
    out.is_internal = cluster::is_internal_topic(topic.name);
    for (int32_t p = 0; p < topic.partition_count; ++p) {
        Response::MetadataResponsePartition part;
        part.partition_index = p;
        part.leader_id = node;
        part.leader_epoch = 0;
        part.replica_nodes = {node};
        part.isr_nodes = {node};
        out.partitions.push_back(std::move(part));
    }
    return out;
}

Response::MetadataResponseTopic topic_error(std::optional<std::string> name, proto::Uuid id,
                                            ErrorCode code) {
    Response::MetadataResponseTopic out;
    out.name = std::move(name);
    out.topic_id = id;
    out.error_code = static_cast<int16_t>(code);
    return out;
}

// Whether this request lists all topics: null (v1+) or an empty list in v0.
bool wants_all_topics(const MetadataHandler::Request& request, int16_t version) {
    if (!request.topics) return true;
    return version == 0 && request.topics->empty();
}

awaitable<Response::MetadataResponseTopic> named_topic(RequestContext& ctx, const std::string& name,
                                                       bool may_create) {
    int32_t node = ctx.config().node_id;
    auto snapshot = ctx.topics().snapshot();
    if (const auto* topic = snapshot->find(name)) co_return describe(*topic, node);
    if (!cluster::check_topic_name(name).empty()) {
        co_return topic_error(name, {}, ErrorCode::InvalidTopicException);
    }
    if (!may_create) co_return topic_error(name, {}, ErrorCode::UnknownTopicOrPartition);
    cluster::CreateTopicArgs args;
    args.name = name;
    cluster::TopicInfo created;
    auto status = co_await ctx.topics().create_topic(std::move(args), &created);
    if (status.error == make_error_code(cluster::Errc::TopicAlreadyExists)) {
        // Created concurrently by another request: describe what exists now.
        if (const auto* topic = ctx.topics().snapshot()->find(name)) {
            co_return describe(*topic, node);
        }
    }
    if (!status) co_return topic_error(name, {}, to_kafka_error(status.error));
    co_return describe(created, node);
}

}  // namespace

awaitable<Response> MetadataHandler::handle(RequestContext& ctx, Request request) {
    const auto& config = ctx.config();
    int16_t version = ctx.api_version();
    Response response;
    auto [host, port] = advertised_endpoint(config, ctx.listener());
    response.brokers.push_back({config.node_id, host, port, config.broker_rack});
    response.cluster_id = ctx.cluster_id();
    response.controller_id = config.node_id;
    bool may_create =
        config.auto_create_topics_enable && (version < 4 || request.allow_auto_topic_creation);

    if (wants_all_topics(request, version)) {
        auto snapshot = ctx.topics().snapshot();
        for (const auto& [name, topic] : snapshot->topics()) {
            response.topics.push_back(describe(topic, config.node_id));
        }
        co_return response;
    }
    for (const auto& wanted : *request.topics) {
        if (wanted.name) {
            response.topics.push_back(co_await named_topic(ctx, *wanted.name, may_create));
            continue;
        }
        // v10+: a topic asked for by id only.
        const auto* topic = ctx.topics().snapshot()->find(wanted.topic_id);
        response.topics.push_back(
            topic ? describe(*topic, config.node_id)
                  : topic_error(std::nullopt, wanted.topic_id, ErrorCode::UnknownTopicId));
    }
    co_return response;
}

}  // namespace broker::server::handlers
