#include "broker/server/handlers/metadata.h"

#include "broker/cluster/errc.h"
#include "broker/cluster/topic_table.h"
#include "broker/cluster/topics.h"
#include "broker/config/broker_config.h"
#include "broker/server/error_mapping.h"
#include "broker/server/handlers/cluster_info.h"
#include "broker/server/handlers/cluster_metadata.h"

namespace broker::server::handlers {

namespace proto = common::protocol;
using proto::ErrorCode;
using Response = MetadataHandler::Response;

namespace {

// A single node leads every partition of its topics.
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

// What this request's answers are built from: the single node's topic table, or (clustered) one
// image of the cluster metadata with the brokers live on the request's listener.
struct Source {
    int32_t node = 0;
    std::shared_ptr<const cluster::TopicSnapshot> topics;  // single node
    std::shared_ptr<const cluster::MetadataState> state;   // clustered
    std::vector<cluster::BrokerAddress> live;              // clustered

    static Source of(RequestContext& ctx) {
        Source s;
        s.node = ctx.config().node_id;
        if (ctx.clustered()) {
            s.state = ctx.metadata().current();
            s.live = cluster::live_brokers(*s.state, ctx.listener());
        } else {
            s.topics = ctx.topics().snapshot();
        }
        return s;
    }

    std::optional<Response::MetadataResponseTopic> find(const std::string& name) const {
        if (state) {
            const auto* t = state->topic(name);
            if (t) return describe_cluster_topic(*t, live);
        } else if (const auto* t = topics->find(name)) {
            return describe(*t, node);
        }
        return std::nullopt;
    }

    std::optional<Response::MetadataResponseTopic> find(const proto::Uuid& id) const {
        if (state) {
            const auto* t = state->topic(id);
            if (t) return describe_cluster_topic(*t, live);
        } else if (const auto* t = topics->find(id)) {
            return describe(*t, node);
        }
        return std::nullopt;
    }

    std::vector<Response::MetadataResponseTopic> all() const {
        std::vector<Response::MetadataResponseTopic> out;
        if (state) {
            for (const auto& [id, t] : state->topics()) {
                out.push_back(describe_cluster_topic(t, live));
            }
        } else {
            for (const auto& [name, t] : topics->topics()) out.push_back(describe(t, node));
        }
        return out;
    }
};

// Whether this request lists all topics: null (v1+) or an empty list in v0.
bool wants_all_topics(const MetadataHandler::Request& request, int16_t version) {
    if (!request.topics) return true;
    return version == 0 && request.topics->empty();
}

// The topic error for a failed auto-creation. When no controller took the creation in time
// (NotController, RequestTimedOut): LEADER_NOT_AVAILABLE makes the client ask again.
ErrorCode creation_error(const std::error_code& error) {
    if (error == make_error_code(cluster::Errc::NotController) ||
        error == make_error_code(cluster::Errc::RequestTimedOut)) {
        return ErrorCode::LeaderNotAvailable;
    }
    return to_kafka_error(error);
}

awaitable<Response::MetadataResponseTopic> named_topic(RequestContext& ctx, const Source& source,
                                                       const std::string& name, bool may_create) {
    if (auto found = source.find(name)) co_return std::move(*found);
    if (!cluster::check_topic_name(name).empty()) {
        co_return topic_error(name, {}, ErrorCode::InvalidTopicException);
    }
    // Clustered: __consumer_offsets is created by the first FindCoordinator (with the offsets
    // topic's settings), never by Metadata.
    if (ctx.clustered() && name == cluster::kConsumerOffsetsTopic) may_create = false;
    if (!may_create) co_return topic_error(name, {}, ErrorCode::UnknownTopicOrPartition);
    cluster::CreateTopicArgs args;
    args.name = name;
    cluster::TopicInfo created;
    auto status = co_await ctx.topics().create_topic(std::move(args), &created);
    if (!status && status.error != make_error_code(cluster::Errc::TopicAlreadyExists)) {
        co_return topic_error(name, {}, creation_error(status.error));
    }
    if (status && !ctx.clustered()) co_return describe(created, source.node);
    // Created now (clustered: applied here before the answer), or concurrently by another
    // request: describe what exists now.
    if (auto found = Source::of(ctx).find(name)) co_return std::move(*found);
    co_return topic_error(name, {}, ErrorCode::LeaderNotAvailable);
}

void fill_brokers(RequestContext& ctx, const Source& source, Response& response) {
    const auto& config = ctx.config();
    if (!ctx.clustered()) {
        auto [host, port] = advertised_endpoint(config, ctx.listener());
        response.brokers.push_back({config.node_id, host, port, config.broker_rack});
        response.controller_id = config.node_id;
        return;
    }
    for (const auto& b : source.live) response.brokers.push_back({b.id, b.host, b.port, b.rack});
    response.controller_id = ctx.controller_id();
}

}  // namespace

awaitable<Response> MetadataHandler::handle(RequestContext& ctx, Request request) {
    const auto& config = ctx.config();
    int16_t version = ctx.api_version();
    const Source source = Source::of(ctx);
    Response response;
    fill_brokers(ctx, source, response);
    response.cluster_id = ctx.cluster_id();
    bool may_create =
        config.auto_create_topics_enable && (version < 4 || request.allow_auto_topic_creation);

    if (wants_all_topics(request, version)) {
        response.topics = source.all();
        co_return response;
    }
    for (const auto& wanted : *request.topics) {
        if (wanted.name) {
            response.topics.push_back(co_await named_topic(ctx, source, *wanted.name, may_create));
            continue;
        }
        // v10+: a topic asked for by id only.
        auto found = source.find(wanted.topic_id);
        response.topics.push_back(
            found ? std::move(*found)
                  : topic_error(std::nullopt, wanted.topic_id, ErrorCode::UnknownTopicId));
    }
    co_return response;
}

}  // namespace broker::server::handlers
