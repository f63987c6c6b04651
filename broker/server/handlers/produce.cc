#include "broker/server/handlers/produce.h"

#include <charconv>
#include <string>
#include <vector>

#include "broker/cluster/shard_set.h"
#include "broker/cluster/topics.h"
#include "broker/config/broker_config.h"
#include "broker/partition/errc.h"
#include "broker/partition/error_mapping.h"
#include "broker/partition/gather.h"
#include "broker/partition/partition_manager.h"
#include "common/protocol/error_code.h"

namespace broker::server::handlers {
namespace {

using common::protocol::ErrorCode;
using Request = ProduceHandler::Request;
using Response = ProduceHandler::Response;
using PartitionResponse = Response::PartitionProduceResponse;

// The outcome of one partition's append, as it crosses back from the owning shard.
struct Appended {
    std::error_code error;
    partition::ProduceResult result;
};

// What a topic's configs ask of each append beyond the partition's own settings (which hold
// max.message.bytes and message.timestamp.type, kept current by topic config changes).
struct AppendSettings {
    int32_t min_insync_replicas = 1;  // min.insync.replicas (acks=all on replicated partitions)
};

// Runs on the partition's shard.
awaitable<Appended> append_on_shard(partition::PartitionManager* pm, std::string topic,
                                    int32_t index, common::protocol::Bytes records, int16_t acks,
                                    AppendSettings settings) {
    auto p = pm->data_path(topic, index);
    if (!p) co_return Appended{p.error(), {}};
    auto partition = std::move(p).value();
    auto r = co_await partition->produce(std::move(records), acks, settings.min_insync_replicas);
    if (!r) co_return Appended{r.error(), {}};
    co_return Appended{{}, r.value()};
}

// Runs on the connection's shard: hops to the owner and fills `out`.
awaitable<void> produce_partition(RequestContext* ctx, std::string topic, int32_t index,
                                  common::protocol::Bytes records, int16_t acks,
                                  AppendSettings settings, PartitionResponse* out) {
    const auto shard = ctx->shard_of(topic, index);
    Appended a =
        co_await ctx->shards().invoke_on(shard, append_on_shard, &ctx->partitions().on(shard),
                                         topic, index, std::move(records), acks, settings);
    out->error_code = partition::to_kafka_code(a.error);
    if (a.error) {
        out->base_offset = -1;
        out->error_message = a.error.message();
        co_return;
    }
    out->base_offset = a.result.base_offset;
    out->log_append_time_ms = a.result.log_append_time;
    out->log_start_offset = a.result.log_start_offset;
}

// A topic's integer config, else the broker's `fallback`.
int32_t int_config(const cluster::TopicInfo& topic, const std::string& name, int32_t fallback) {
    auto it = topic.configs.find(name);
    int32_t value = 0;
    if (it != topic.configs.end()) {
        const auto& s = it->second;
        auto [end, err] = std::from_chars(s.data(), s.data() + s.size(), value);
        if (err == std::errc{} && end == s.data() + s.size()) return value;
    }
    return fallback;
}

AppendSettings append_settings(const cluster::TopicInfo& topic,
                               const config::BrokerConfig& config) {
    return AppendSettings{.min_insync_replicas =
                              int_config(topic, "min.insync.replicas", config.min_insync_replicas)};
}

// The topic, auto-created when it is missing and the broker allows it; nullopt when unknown.
awaitable<std::optional<cluster::TopicInfo>> find_or_create(RequestContext& ctx,
                                                            const std::string& name,
                                                            int32_t timeout_ms) {
    {
        auto topics = ctx.topics().snapshot();  // keeps the TopicInfo alive while copied
        if (const auto* t = topics->find(name)) co_return *t;
    }
    if (!ctx.config().auto_create_topics_enable) co_return std::nullopt;
    cluster::TopicInfo created;
    cluster::CreateTopicArgs args;
    args.name = name;
    args.timeout = std::chrono::milliseconds(timeout_ms);
    auto status = co_await ctx.topics().create_topic(std::move(args), &created);
    if (status) co_return created;
    // Lost a race with another creator, or the name is invalid.
    auto topics = ctx.topics().snapshot();
    if (const auto* t = topics->find(name)) co_return *t;
    co_return std::nullopt;
}

PartitionResponse error_response(int32_t index, ErrorCode code) {
    PartitionResponse r;
    r.index = index;
    r.error_code = static_cast<int16_t>(code);
    r.base_offset = -1;
    return r;
}

}  // namespace

awaitable<Response> ProduceHandler::handle(RequestContext& ctx, Request request) {
    Response response;
    const bool valid_acks = request.acks == 0 || request.acks == 1 || request.acks == -1;
    std::vector<awaitable<void>> tasks;
    response.responses.reserve(request.topic_data.size());
    // Responses are sized first so the tasks' result slots stay put.
    for (auto& topic : request.topic_data) {
        auto& out = response.responses.emplace_back();
        out.name = topic.name;
        out.partition_responses.resize(topic.partition_data.size());
    }
    for (size_t t = 0; t < request.topic_data.size(); ++t) {
        auto& topic = request.topic_data[t];
        auto& out = response.responses[t].partition_responses;
        // (Not a conditional expression: g++ 12 miscompiles co_await inside ?:.)
        std::optional<cluster::TopicInfo> info;
        if (valid_acks) info = co_await find_or_create(ctx, topic.name, request.timeout_ms);
        for (size_t p = 0; p < topic.partition_data.size(); ++p) {
            auto& part = topic.partition_data[p];
            if (!valid_acks) {
                out[p] = error_response(part.index, ErrorCode::InvalidRequiredAcks);
            } else if (cluster::is_internal_topic(topic.name)) {
                // As Kafka: "Cannot append to internal topic" (only the coordinator writes it).
                out[p] = error_response(part.index, ErrorCode::InvalidTopicException);
            } else if (!info || part.index < 0 || part.index >= info->partition_count) {
                out[p] = error_response(part.index, ErrorCode::UnknownTopicOrPartition);
            } else {
                out[p].index = part.index;
                tasks.push_back(
                    produce_partition(&ctx, topic.name, part.index,
                                      std::move(part.records).value_or(common::protocol::Bytes{}),
                                      request.acks, append_settings(*info, ctx.config()), &out[p]));
            }
        }
    }
    co_await partition::gather(std::move(tasks));
    if (request.acks == 0) ctx.suppress_response();
    co_return response;
}

}  // namespace broker::server::handlers
