#include "broker/server/handlers/offset_commit.h"

#include <chrono>
#include <map>

#include "broker/cluster/shard_set.h"
#include "broker/cluster/topics.h"
#include "broker/config/broker_config.h"
#include "broker/server/groups/group_coordinator.h"
#include "broker/server/handlers/group_routing.h"

namespace broker::server::handlers {
namespace {

using groups::ErrorCode;

int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

awaitable<OffsetCommitHandler::Response> OffsetCommitHandler::handle(RequestContext& ctx,
                                                                     Request request) {
    const int16_t version = ctx.api_version();
    const int64_t now = wall_clock_ms();
    const int64_t retention_ms = ctx.config().offsets_retention_ms;
    auto topics = ctx.topics().snapshot();
    // Per-partition errors found here; the rest get the coordinator's answer.
    std::map<groups::TopicPartition, ErrorCode> early;
    groups::OffsetMap offsets;
    for (const auto& t : request.topics) {
        const auto* info = topics->find(t.name);
        for (const auto& p : t.partitions) {
            groups::TopicPartition tp{t.name, p.partition_index};
            if (!info || p.partition_index < 0 || p.partition_index >= info->partition_count) {
                early[tp] = ErrorCode::UnknownTopicOrPartition;
                continue;
            }
            const std::string metadata = p.committed_metadata.value_or("");
            if (metadata.size() > groups::GroupConfig{}.offset_metadata_max_bytes) {
                early[tp] = ErrorCode::OffsetMetadataTooLarge;
                continue;
            }
            groups::CommittedOffset o;
            o.offset = p.committed_offset;
            o.leader_epoch = p.committed_leader_epoch;
            o.metadata = metadata;
            if (version == 1 && p.commit_timestamp >= 0) {
                o.commit_timestamp_ms = p.commit_timestamp;
                o.expire_timestamp_ms = p.commit_timestamp + retention_ms;
            } else if (version >= 2 && version <= 4 && request.retention_time_ms >= 0) {
                o.commit_timestamp_ms = now;
                o.expire_timestamp_ms = now + request.retention_time_ms;
            }
            offsets[tp] = o;
        }
    }
    ErrorCode error = ErrorCode::None;
    if (!offsets.empty()) {
        const auto shard = group_shard(ctx, request.group_id);
        error = co_await ctx.shards().invoke_on(shard, &groups::GroupCoordinator::commit,
                                                coordinator_on(ctx, shard), request.group_id,
                                                request.member_id, request.group_instance_id,
                                                request.generation_id_or_member_epoch, offsets);
    }
    Response response;
    for (const auto& t : request.topics) {
        auto& topic_out = response.topics.emplace_back();
        topic_out.name = t.name;
        for (const auto& p : t.partitions) {
            auto it = early.find({t.name, p.partition_index});
            const ErrorCode e = it != early.end() ? it->second : error;
            topic_out.partitions.push_back({p.partition_index, static_cast<int16_t>(e)});
        }
    }
    co_return response;
}

}  // namespace broker::server::handlers
