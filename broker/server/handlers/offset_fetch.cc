#include "broker/server/handlers/offset_fetch.h"

#include "broker/cluster/shard_set.h"
#include "broker/server/groups/group_coordinator.h"
#include "broker/server/handlers/group_routing.h"

namespace broker::server::handlers {
namespace {

using groups::ErrorCode;
using Response = OffsetFetchHandler::Response;

// The requested partitions of one group (nullopt: all of them).
template <class Topics>
std::optional<std::vector<groups::TopicPartition>> wanted(const std::optional<Topics>& topics) {
    if (!topics) return std::nullopt;
    std::vector<groups::TopicPartition> out;
    for (const auto& t : *topics) {
        for (int32_t p : t.partition_indexes) out.push_back({t.name, p});
    }
    return out;
}

awaitable<groups::FetchResult> fetch_group(RequestContext& ctx, std::string group_id,
                                           std::optional<std::vector<groups::TopicPartition>> tps) {
    const auto shard = group_shard(ctx, group_id);
    co_return co_await ctx.shards().invoke_on(shard, &groups::GroupCoordinator::fetch,
                                              coordinator_on(ctx, shard), group_id, tps);
}

// Fills topic entries (TopicT has `name` and `partitions`) from a group's offsets, one entry per
// run of the same topic; `partition_error` goes on every partition (v0-1 carry group errors so).
template <class TopicT>
std::vector<TopicT> topics_of(const groups::FetchResult& result, ErrorCode partition_error) {
    std::vector<TopicT> out;
    for (const auto& f : result.offsets) {
        if (out.empty() || out.back().name != f.partition.topic) {
            out.emplace_back().name = f.partition.topic;
        }
        auto& p = out.back().partitions.emplace_back();
        p.partition_index = f.partition.partition;
        p.committed_offset = f.offset.offset;
        p.committed_leader_epoch = f.offset.leader_epoch;
        p.metadata = f.offset.metadata.value_or("");
        p.error_code = static_cast<int16_t>(partition_error);
    }
    return out;
}

// A group error for v0-1, which have no top-level error: the requested partitions carry it.
groups::FetchResult with_requested(groups::FetchResult result,
                                   const std::optional<std::vector<groups::TopicPartition>>& tps) {
    if (result.error == ErrorCode::None || !tps) return result;
    result.offsets.clear();
    for (const auto& tp : *tps) result.offsets.push_back({tp, {}});
    return result;
}

}  // namespace

awaitable<OffsetFetchHandler::Response> OffsetFetchHandler::handle(RequestContext& ctx,
                                                                   Request request) {
    const int16_t version = ctx.api_version();
    Response response;
    if (version >= 8) {
        for (const auto& g : request.groups) {
            auto result = co_await fetch_group(ctx, g.group_id, wanted(g.topics));
            auto& out = response.groups.emplace_back();
            out.group_id = g.group_id;
            out.error_code = static_cast<int16_t>(result.error);
            out.topics = topics_of<Response::OffsetFetchResponseTopics>(result, ErrorCode::None);
        }
        co_return response;
    }
    auto tps = wanted(request.topics);
    auto result = co_await fetch_group(ctx, request.group_id, tps);
    if (version >= 2) {
        response.error_code = static_cast<int16_t>(result.error);
        response.topics = topics_of<Response::OffsetFetchResponseTopic>(result, ErrorCode::None);
    } else {
        const ErrorCode e = result.error;
        response.topics = topics_of<Response::OffsetFetchResponseTopic>(
            with_requested(std::move(result), tps), e);
    }
    co_return response;
}

}  // namespace broker::server::handlers
