#include "broker/server/handlers/list_offsets.h"

#include <string>
#include <vector>

#include "broker/cluster/shard_set.h"
#include "broker/cluster/topics.h"
#include "broker/partition/errc.h"
#include "broker/partition/error_mapping.h"
#include "broker/partition/partition_manager.h"
#include "common/protocol/error_code.h"

namespace broker::server::handlers {
namespace {

using common::protocol::ErrorCode;
using Request = ListOffsetsHandler::Request;
using Response = ListOffsetsHandler::Response;
using PartitionResponse = Response::ListOffsetsPartitionResponse;

constexpr int64_t kMaxTimestamp = -3;

// The outcome of one lookup, as it crosses back from the owning shard.
struct Lookup {
    std::error_code error;
    partition::TimestampOffset found;
    int32_t leader_epoch = -1;
};

// Runs on the partition's shard.
Lookup lookup_on_shard(partition::PartitionManager* pm, std::string topic, int32_t index,
                       int64_t timestamp, int32_t leader_epoch) {
    auto p = pm->data_path(topic, index);
    if (!p) return {p.error(), {}};
    if (auto epoch = p.value()->check_leader_epoch(leader_epoch); !epoch) {
        return {epoch.error(), {}};
    }
    auto r = p.value()->offset_for(timestamp);
    if (!r) return {r.error(), {}};
    return {{}, r.value(), p.value()->leader_epoch()};
}

void fill(PartitionResponse& out, const Lookup& r, int16_t version) {
    out.error_code = partition::to_kafka_code(r.error);
    if (r.error) return;
    if (version == 0) {
        if (r.found.offset >= 0) out.old_style_offsets = {r.found.offset};
        return;
    }
    out.timestamp = r.found.timestamp;
    out.offset = r.found.offset;
    out.leader_epoch = r.found.offset >= 0 ? r.leader_epoch : -1;
}

}  // namespace

awaitable<Response> ListOffsetsHandler::handle(RequestContext& ctx, Request request) {
    Response response;
    auto topics = ctx.topics().snapshot();
    const int16_t version = ctx.api_version();
    for (const auto& t : request.topics) {
        auto& topic_out = response.topics.emplace_back();
        topic_out.name = t.name;
        const auto* info = topics->find(t.name);
        for (const auto& p : t.partitions) {
            auto& out = topic_out.partitions.emplace_back();
            out.partition_index = p.partition_index;
            if (!info || p.partition_index < 0 || p.partition_index >= info->partition_count) {
                out.error_code = static_cast<int16_t>(ErrorCode::UnknownTopicOrPartition);
                continue;
            }
            if (p.timestamp == kMaxTimestamp && version < 7) {
                out.error_code = static_cast<int16_t>(ErrorCode::UnsupportedVersion);
                continue;
            }
            const auto shard = ctx.shard_of(t.name, p.partition_index);
            Lookup r = co_await ctx.shards().invoke_on(
                shard, lookup_on_shard, &ctx.partitions().on(shard), t.name, p.partition_index,
                p.timestamp, p.current_leader_epoch);
            fill(out, r, version);
        }
    }
    co_return response;
}

}  // namespace broker::server::handlers
