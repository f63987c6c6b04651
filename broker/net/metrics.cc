#include "broker/net/metrics.h"

#include "broker/cluster/shard.h"

namespace broker::net {

Metrics::Metrics(uint32_t shard_count) {
    for (uint32_t i = 0; i <= shard_count; ++i) slots_.push_back(std::make_unique<ShardMetrics>());
}

ShardMetrics& Metrics::local() {
    auto shard = cluster::this_shard();
    return *slots_[shard < slots_.size() - 1 ? shard : slots_.size() - 1];
}

void Metrics::count_request(int16_t api_key) {
    if (api_key >= 0 && api_key <= kMaxApiKey) {
        local().requests[api_key].fetch_add(1, std::memory_order_relaxed);
    }
}

void Metrics::count_error(int16_t api_key) {
    if (api_key >= 0 && api_key <= kMaxApiKey) {
        local().errors[api_key].fetch_add(1, std::memory_order_relaxed);
    }
}

MetricsSnapshot Metrics::snapshot() const {
    MetricsSnapshot out;
    auto relaxed = std::memory_order_relaxed;
    for (const auto& slot : slots_) {
        for (int k = 0; k <= kMaxApiKey; ++k) {
            out.requests[k] += slot->requests[k].load(relaxed);
            out.errors[k] += slot->errors[k].load(relaxed);
        }
        out.bytes_in += slot->bytes_in.load(relaxed);
        out.bytes_out += slot->bytes_out.load(relaxed);
        out.connections += slot->connections.load(relaxed);
        out.connections_total += slot->connections_total.load(relaxed);
        out.frames_rejected += slot->frames_rejected.load(relaxed);
    }
    return out;
}

}  // namespace broker::net
