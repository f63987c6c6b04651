#include "broker/server/handlers/offset_for_leader_epoch.h"

#include <string>

#include "broker/cluster/shard_set.h"
#include "broker/cluster/topics.h"
#include "broker/partition/errc.h"
#include "broker/partition/error_mapping.h"
#include "broker/partition/partition_manager.h"
#include "common/protocol/error_code.h"

namespace broker::server::handlers {
namespace {

using common::protocol::ErrorCode;
using Request = OffsetForLeaderEpochHandler::Request;
using Response = OffsetForLeaderEpochHandler::Response;

// The answer for one partition, as it crosses back from the owning shard.
struct EpochEnd {
    std::error_code error;
    int32_t leader_epoch = -1;
    int64_t end_offset = -1;
};

// Runs on the partition's shard.
EpochEnd lookup_on_shard(partition::PartitionManager* pm, std::string topic, int32_t index,
                         int32_t current_leader_epoch, int32_t leader_epoch) {
    auto p = pm->data_path(topic, index);
    if (!p) return {p.error()};
    if (auto epoch = p.value()->check_leader_epoch(current_leader_epoch); !epoch) {
        return {epoch.error()};
    }
    auto end = p.value()->end_offset_for_epoch(leader_epoch);
    if (!end) return {end.error()};
    return {{}, end.value().leader_epoch, end.value().end_offset};
}

}  // namespace

awaitable<Response> OffsetForLeaderEpochHandler::handle(RequestContext& ctx, Request request) {
    Response response;
    auto topics = ctx.topics().snapshot();
    for (const auto& t : request.topics) {
        auto& topic_out = response.topics.emplace_back();
        topic_out.topic = t.topic;
        const auto* info = topics->find(t.topic);
        for (const auto& p : t.partitions) {
            auto& out = topic_out.partitions.emplace_back();
            out.partition = p.partition;
            if (!info || p.partition < 0 || p.partition >= info->partition_count) {
                out.error_code = static_cast<int16_t>(ErrorCode::UnknownTopicOrPartition);
                continue;
            }
            const auto shard = ctx.shard_of(t.topic, p.partition);
            EpochEnd r = co_await ctx.shards().invoke_on(
                shard, lookup_on_shard, &ctx.partitions().on(shard), t.topic, p.partition,
                p.current_leader_epoch, p.leader_epoch);
            out.error_code = partition::to_kafka_code(r.error);
            out.leader_epoch = r.leader_epoch;
            out.end_offset = r.end_offset;
        }
    }
    co_return response;
}

}  // namespace broker::server::handlers
