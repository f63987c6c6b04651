#include "broker/server/handlers/offset_delete.h"

#include <map>

#include "broker/cluster/shard_set.h"
#include "broker/cluster/topics.h"
#include "broker/server/groups/group_coordinator.h"
#include "broker/server/handlers/group_routing.h"

namespace broker::server::handlers {

awaitable<OffsetDeleteHandler::Response> OffsetDeleteHandler::handle(RequestContext& ctx,
                                                                     Request request) {
    using groups::ErrorCode;
    auto topics = ctx.topics().snapshot();
    std::map<groups::TopicPartition, ErrorCode> errors;
    std::vector<groups::TopicPartition> known;
    for (const auto& t : request.topics) {
        const auto* info = topics->find(t.name);
        for (const auto& p : t.partitions) {
            groups::TopicPartition tp{t.name, p.partition_index};
            if (!info || p.partition_index < 0 || p.partition_index >= info->partition_count) {
                errors[tp] = ErrorCode::UnknownTopicOrPartition;
            } else {
                known.push_back(tp);
            }
        }
    }
    const auto shard = group_shard(ctx, request.group_id);
    groups::DeleteOffsetsResult result =
        co_await ctx.shards().invoke_on(shard, &groups::GroupCoordinator::delete_offsets,
                                        coordinator_on(ctx, shard), request.group_id, known);
    Response response;
    response.error_code = static_cast<int16_t>(result.error);
    errors.insert(result.partitions.begin(), result.partitions.end());
    for (const auto& t : request.topics) {
        Response::OffsetDeleteResponseTopic topic_out;
        topic_out.name = t.name;
        for (const auto& p : t.partitions) {
            auto it = errors.find({t.name, p.partition_index});
            if (it == errors.end()) continue;
            topic_out.partitions.push_back({p.partition_index, static_cast<int16_t>(it->second)});
        }
        if (!topic_out.partitions.empty()) response.topics.push_back(std::move(topic_out));
    }
    co_return response;
}

}  // namespace broker::server::handlers
