#include "broker/server/handlers/fetch.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "broker/cluster/metadata_cache.h"
#include "broker/cluster/shard_set.h"
#include "broker/cluster/topics.h"
#include "broker/config/broker_config.h"
#include "broker/partition/errc.h"
#include "broker/partition/error_mapping.h"
#include "broker/partition/partition_manager.h"
#include "broker/partition/signal.h"
#include "common/protocol/error_code.h"

namespace broker::server::handlers {
namespace {

using common::protocol::ErrorCode;
using Request = FetchHandler::Request;
using Response = FetchHandler::Response;
using PartitionData = Response::PartitionData;
using partition::Signal;

// One requested partition and where its answer goes.
struct Slot {
    std::string topic;
    int32_t index = 0;
    int64_t fetch_offset = 0;
    int32_t max_bytes = 0;
    int32_t leader_epoch = -1;
    bool known = false;    // the topic and partition exist
    int64_t seen_hw = -1;  // high watermark at the last read
    PartitionData* out = nullptr;
};

// The outcome of one partition read, as it crosses back from the owning shard.
struct ReadOutcome {
    std::error_code error;
    partition::FetchData data;
};

// Runs on the partition's shard.
ReadOutcome read_on_shard(partition::PartitionManager* pm, std::string topic, int32_t index,
                          int64_t offset, int32_t max_bytes, bool min_one, int32_t leader_epoch) {
    auto p = pm->data_path(topic, index);
    if (!p) return {p.error(), {}};
    if (auto epoch = p.value()->check_leader_epoch(leader_epoch); !epoch) {
        return {epoch.error(), {}};
    }
    auto r = p.value()->read(offset, max_bytes, min_one);
    if (!r) return {r.error(), {}};
    return {{}, std::move(r).value()};
}

// Runs on the partition's shard: wake `waiter` (on its own executor) once the high watermark
// moves past `offset`.
bool watch_on_shard(partition::PartitionManager* pm, std::string topic, int32_t index,
                    int64_t offset, std::weak_ptr<Signal> waiter,
                    common::asio::any_io_executor waiter_executor) {
    auto p = pm->data_path(topic, index);
    if (!p) return false;
    auto wake = [waiter, waiter_executor] {
        common::asio::post(waiter_executor, [waiter] {
            if (auto s = waiter.lock()) s->set();
        });
    };
    p.value()->add_waiter(offset, partition::FetchWaker{waiter, wake});
    return true;
}

// Clustered (KIP-951's leader discovery, Fetch v12+): the partition's leader and epoch as this
// broker's metadata knows them, for a NOT_LEADER_OR_FOLLOWER or FENCED_LEADER_EPOCH answer.
// Unknown (-1) when there is none, or the metadata still names this broker.
Response::LeaderIdAndEpoch current_leader(RequestContext& ctx, const Slot& slot) {
    Response::LeaderIdAndEpoch out;
    if (!ctx.clustered()) return out;
    const auto state = ctx.metadata().current();
    const auto* topic = state->topic(slot.topic);
    if (topic == nullptr || slot.index < 0 ||
        static_cast<size_t>(slot.index) >= topic->partitions.size()) {
        return out;
    }
    const auto& p = topic->partitions[static_cast<size_t>(slot.index)];
    if (p.leader < 0 || p.leader == ctx.config().node_id) return out;
    out.leader_id = p.leader;
    out.leader_epoch = p.leader_epoch;
    return out;
}

bool names_another_leader(ErrorCode code) {
    return code == ErrorCode::NotLeaderOrFollower || code == ErrorCode::FencedLeaderEpoch;
}

// Reads every slot in request order, sharing the response's max_bytes. Returns the bytes read,
// or nullopt when a partition failed (the fetch is then answered at once).
awaitable<std::optional<size_t>> read_all(RequestContext& ctx, std::vector<Slot>& slots,
                                          int32_t response_max_bytes) {
    size_t total = 0;
    bool failed = false;
    const size_t budget = static_cast<size_t>(std::max(response_max_bytes, 0));
    for (Slot& s : slots) {
        if (!s.known) continue;
        const size_t remaining = budget > total ? budget - total : 0;
        const auto limit = static_cast<int32_t>(
            std::min<size_t>(static_cast<size_t>(std::max(s.max_bytes, 0)), remaining));
        const auto shard = ctx.shard_of(s.topic, s.index);
        ReadOutcome r = co_await ctx.shards().invoke_on(
            shard, read_on_shard, &ctx.partitions().on(shard), s.topic, s.index, s.fetch_offset,
            limit, total == 0, s.leader_epoch);
        s.out->error_code = partition::to_kafka_code(r.error);
        if (r.error) {
            failed = true;
            s.out->high_watermark = -1;
            s.out->last_stable_offset = -1;
            s.out->log_start_offset = -1;
            s.out->records = common::protocol::Bytes{};
            if (names_another_leader(static_cast<ErrorCode>(s.out->error_code))) {
                s.out->current_leader = current_leader(ctx, s);
            }
            continue;
        }
        s.seen_hw = r.data.high_watermark;
        s.out->high_watermark = r.data.high_watermark;
        s.out->last_stable_offset = r.data.last_stable_offset;
        s.out->log_start_offset = r.data.log_start_offset;
        total += r.data.records.size();
        s.out->records = std::move(r.data.records);
    }
    co_return failed ? std::nullopt : std::optional<size_t>(total);
}

// Registers a wake-up on every slot's partition and waits for one of them or the deadline.
awaitable<void> wait_for_data(RequestContext& ctx, const std::vector<Slot>& slots,
                              Signal::Clock::time_point deadline) {
    auto ex = co_await common::asio::this_coro::executor;
    auto waiter = std::make_shared<Signal>(ex);
    for (const Slot& s : slots) {
        if (!s.known) continue;
        const auto shard = ctx.shard_of(s.topic, s.index);
        co_await ctx.shards().invoke_on(shard, watch_on_shard, &ctx.partitions().on(shard), s.topic,
                                        s.index, std::max(s.fetch_offset, s.seen_hw),
                                        std::weak_ptr<Signal>(waiter), ex);
    }
    co_await waiter->wait(deadline);
}

// Builds the response skeleton in request order; unknown partitions get their error here.
std::vector<Slot> plan(RequestContext& ctx, const Request& request, Response& response) {
    auto topics = ctx.topics().snapshot();
    std::vector<Slot> slots;
    response.responses.reserve(request.topics.size());
    for (const auto& t : request.topics) {
        auto& out = response.responses.emplace_back();
        out.topic = t.topic;
        out.partitions.resize(t.partitions.size());
        const auto* info = topics->find(t.topic);
        for (size_t i = 0; i < t.partitions.size(); ++i) {
            const auto& p = t.partitions[i];
            PartitionData& d = out.partitions[i];
            d.partition_index = p.partition;
            d.records = common::protocol::Bytes{};
            if (request.isolation_level == 0) d.aborted_transactions = std::nullopt;
            const bool known = info && p.partition >= 0 && p.partition < info->partition_count;
            if (!known) {
                d.error_code = static_cast<int16_t>(ErrorCode::UnknownTopicOrPartition);
                d.high_watermark = -1;
            }
            slots.push_back(Slot{.topic = t.topic,
                                 .index = p.partition,
                                 .fetch_offset = p.fetch_offset,
                                 .max_bytes = p.partition_max_bytes,
                                 .leader_epoch = p.current_leader_epoch,
                                 .known = known,
                                 .out = &d});
        }
    }
    return slots;
}

// KIP-227: sessions are declined (session id 0); a client naming a session gets an error.
ErrorCode session_error(const Request& request) {
    if (request.session_id != 0) return ErrorCode::FetchSessionIdNotFound;
    if (request.session_epoch > 0) return ErrorCode::InvalidFetchSessionEpoch;
    return ErrorCode::None;
}

}  // namespace

awaitable<Response> FetchHandler::handle(RequestContext& ctx, Request request) {
    Response response;
    response.session_id = 0;
    if (auto err = session_error(request); err != ErrorCode::None) {
        response.error_code = static_cast<int16_t>(err);
        co_return response;
    }
    std::vector<Slot> slots = plan(ctx, request, response);
    const auto deadline =
        Signal::Clock::now() + std::chrono::milliseconds(std::max(request.max_wait_ms, 0));
    while (true) {
        auto total = co_await read_all(ctx, slots, request.max_bytes);
        if (!total || *total >= static_cast<size_t>(std::max(request.min_bytes, 0)) ||
            request.max_wait_ms <= 0 || Signal::Clock::now() >= deadline) {
            break;
        }
        co_await wait_for_data(ctx, slots, deadline);
    }
    co_return response;
}

}  // namespace broker::server::handlers
