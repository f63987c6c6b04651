#include "broker/server/handlers/create_topics.h"

#include <set>

#include "broker/cluster/topic_config.h"
#include "broker/cluster/topics.h"
#include "broker/config/broker_config.h"
#include "broker/server/error_mapping.h"
#include "broker/server/handlers/config_source.h"

namespace broker::server::handlers {

namespace proto = common::protocol;
using proto::ErrorCode;
using Request = CreateTopicsHandler::Request;
using Response = CreateTopicsHandler::Response;

namespace {

Response::CreatableTopicResult result_error(const std::string& name, ErrorCode code,
                                            std::string message) {
    Response::CreatableTopicResult r;
    r.name = name;
    r.error_code = static_cast<int16_t>(code);
    r.error_message = message.empty() ? std::nullopt : std::optional<std::string>(message);
    return r;
}

// Turns one requested topic into CreateTopicArgs; returns an error result when the request
// itself is inconsistent (bad assignments, null config values).
// `node` is -1 in clustered mode, where placement is the controller's.
std::optional<Response::CreatableTopicResult> to_args(const Request::CreatableTopic& t,
                                                      int32_t node,
                                                      cluster::CreateTopicArgs* args) {
    args->name = t.name;
    if (!t.assignments.empty()) {
        if (t.num_partitions != -1 || t.replication_factor != -1) {
            return result_error(t.name, ErrorCode::InvalidRequest,
                                "Both numPartitions or replicationFactor and replicasAssignments "
                                "were set. Both cannot be used at the same time.");
        }
        if (node < 0) {
            return result_error(t.name, ErrorCode::InvalidReplicaAssignment,
                                "Replica assignments are not supported in clustered mode; give "
                                "numPartitions and replicationFactor.");
        }
        for (size_t i = 0; i < t.assignments.size(); ++i) {
            const auto& a = t.assignments[i];
            if (a.partition_index != static_cast<int32_t>(i) || a.broker_ids != std::vector{node}) {
                return result_error(t.name, ErrorCode::InvalidReplicaAssignment,
                                    "Replica assignments must name partitions 0..n-1, each on "
                                    "broker " +
                                        std::to_string(node) + " only.");
            }
        }
        args->partitions = static_cast<int32_t>(t.assignments.size());
        args->replication_factor = 1;
    } else {
        if (t.num_partitions != -1) args->partitions = t.num_partitions;
        if (t.replication_factor != -1) args->replication_factor = t.replication_factor;
    }
    for (const auto& c : t.configs) {
        if (!c.value) {
            return result_error(t.name, ErrorCode::InvalidConfig,
                                "Null value not supported for topic configs: " + c.name);
        }
        args->configs[c.name] = *c.value;
    }
    return std::nullopt;
}

void fill_success(Response::CreatableTopicResult& r, const cluster::TopicInfo& info,
                  const config::BrokerConfig& broker) {
    r.topic_id = info.id;
    r.num_partitions = info.partition_count;
    r.replication_factor = info.replication_factor;
    r.error_message = std::nullopt;
    std::vector<Response::CreatableTopicConfigs> configs;
    for (const auto& c : cluster::resolve_topic_configs(info.configs, broker)) {
        configs.push_back({c.name, c.value, false, to_kafka_source(c.source), false});
    }
    r.configs = std::move(configs);
}

}  // namespace

awaitable<Response> CreateTopicsHandler::handle(RequestContext& ctx, Request request) {
    Response response;
    std::multiset<std::string> names;
    for (const auto& t : request.topics) names.insert(t.name);
    for (auto& t : request.topics) {
        if (names.count(t.name) > 1) {
            response.topics.push_back(
                result_error(t.name, ErrorCode::InvalidRequest,
                             "Create topics request from client contains a duplicate topic name."));
            continue;
        }
        cluster::CreateTopicArgs args;
        args.validate_only = request.validate_only;
        args.timeout = std::chrono::milliseconds(request.timeout_ms);
        const int32_t node = ctx.clustered() ? -1 : ctx.config().node_id;
        if (auto bad = to_args(t, node, &args)) {
            response.topics.push_back(std::move(*bad));
            continue;
        }
        cluster::TopicInfo created;
        auto status = co_await ctx.topics().create_topic(std::move(args), &created);
        auto result = result_error(t.name, to_kafka_error(status.error), status.message);
        if (status) fill_success(result, created, ctx.config());
        response.topics.push_back(std::move(result));
    }
    co_return response;
}

}  // namespace broker::server::handlers
