#include "broker/server/handlers/find_coordinator.h"

#include <atomic>
#include <chrono>

#include "broker/cluster/errc.h"
#include "broker/cluster/metadata_cache.h"
#include "broker/cluster/topic_config.h"
#include "broker/config/broker_config.h"
#include "broker/server/groups/offsets_record_codec.h"
#include "broker/server/handlers/cluster_info.h"
#include "common/log.h"
#include "common/protocol/error_code.h"

namespace broker::server::handlers {
namespace {

using common::protocol::ErrorCode;
using Coordinator = FindCoordinatorHandler::Response::Coordinator;

constexpr int8_t kGroupKey = 0;
constexpr int8_t kTransactionKey = 1;
// How long a FindCoordinator waits for __consumer_offsets to be created.
constexpr std::chrono::milliseconds kCreateTimeout{5000};

Coordinator unavailable(Coordinator c, ErrorCode e) {
    c.error_code = static_cast<int16_t>(e);
    c.node_id = -1;
    c.port = -1;
    return c;
}

// At most one warning about a failed creation every 10 s (clients keep asking meanwhile).
bool due_for_warning() {
    static std::atomic<int64_t> next_ms{0};
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count();
    int64_t due = next_ms.load();
    return now >= due && next_ms.compare_exchange_strong(due, now + 10000);
}

// Clustered mode: creates __consumer_offsets when it does not exist yet (the first client to
// look for a coordinator does), with offsets.topic.replication.factor replicas. Until enough
// brokers are live for that, creation fails and clients keep getting COORDINATOR_NOT_AVAILABLE.
awaitable<void> create_offsets_topic(RequestContext& ctx) {
    auto args =
        cluster::offsets_topic_args(ctx.config(), ctx.config().offsets_topic_replication_factor);
    args.timeout = kCreateTimeout;
    auto status = co_await ctx.topics().create_topic(std::move(args), nullptr);
    if (!status && status.error != make_error_code(cluster::Errc::TopicAlreadyExists) &&
        due_for_warning()) {
        common::log::get("groups")->warn("cannot create {} yet: {} {}",
                                         cluster::kConsumerOffsetsTopic, status.error.message(),
                                         status.message);
    }
}

// Clustered mode: a group is coordinated by the leader of its __consumer_offsets partition, at
// its address on the request's listener; none while the partition has no live leader, or while
// its leader is only the placement's first replica (leader epoch 0) and its Raft group has not
// reported one (Raft terms start at 1): that broker may not lead yet, and would answer
// NOT_COORDINATOR.
awaitable<Coordinator> locate_in_cluster(RequestContext& ctx, Coordinator c) {
    auto state = ctx.metadata().current();
    if (state->topic(cluster::kConsumerOffsetsTopic) == nullptr) {
        co_await create_offsets_topic(ctx);
        state = ctx.metadata().current();
    }
    const auto* offsets = state->topic(cluster::kConsumerOffsetsTopic);
    if (offsets == nullptr || offsets->partitions.empty()) {
        co_return unavailable(std::move(c), ErrorCode::CoordinatorNotAvailable);
    }
    const auto count = static_cast<int32_t>(offsets->partitions.size());
    const auto& partition = offsets->partitions[groups::offsets_partition_for(c.key, count)];
    if (partition.leader_epoch == 0) {
        co_return unavailable(std::move(c), ErrorCode::CoordinatorNotAvailable);
    }
    for (const auto& b : ctx.metadata().live_brokers(ctx.listener())) {
        if (b.id != partition.leader) continue;
        c.node_id = b.id;
        c.host = b.host;
        c.port = b.port;
        co_return c;
    }
    co_return unavailable(std::move(c), ErrorCode::CoordinatorNotAvailable);
}

awaitable<Coordinator> locate(RequestContext& ctx, const std::string& key, int8_t key_type) {
    Coordinator c;
    c.key = key;
    c.error_message = std::nullopt;
    if (key_type != kGroupKey) {
        const ErrorCode e = key_type == kTransactionKey ? ErrorCode::CoordinatorNotAvailable
                                                        : ErrorCode::InvalidRequest;
        co_return unavailable(std::move(c), e);
    }
    if (ctx.clustered()) co_return co_await locate_in_cluster(ctx, std::move(c));
    auto [host, port] = advertised_endpoint(ctx.config(), ctx.listener());
    c.node_id = ctx.config().node_id;
    c.host = host;
    c.port = port;
    co_return c;
}

}  // namespace

awaitable<FindCoordinatorHandler::Response> FindCoordinatorHandler::handle(RequestContext& ctx,
                                                                           Request request) {
    Response response;
    if (ctx.api_version() >= 4) {
        for (const auto& key : request.coordinator_keys) {
            Coordinator c = co_await locate(ctx, key, request.key_type);
            response.coordinators.push_back(std::move(c));
        }
        co_return response;
    }
    Coordinator c = co_await locate(ctx, request.key, request.key_type);
    response.error_code = c.error_code;
    response.error_message = std::nullopt;
    response.node_id = c.node_id;
    response.host = c.host;
    response.port = c.port;
    co_return response;
}

}  // namespace broker::server::handlers
