#pragma once
// Broker metrics: counters kept per shard (each shard writes only its own slot, relaxed atomics,
// no sharing of cache lines between shards) and summed when /metrics is scraped.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace broker::net {

inline constexpr int kMaxApiKey = 127;

// One shard's counters. Written by its shard; read by the admin thread.
struct alignas(64) ShardMetrics {
    std::array<std::atomic<uint64_t>, kMaxApiKey + 1> requests{};  // by API key
    std::array<std::atomic<uint64_t>, kMaxApiKey + 1> errors{};    // requests that closed or failed
    std::atomic<uint64_t> bytes_in{0};
    std::atomic<uint64_t> bytes_out{0};
    std::atomic<int64_t> connections{0};
    std::atomic<uint64_t> connections_total{0};
    std::atomic<uint64_t> frames_rejected{0};  // oversize, negative, malformed
};

// Totals over all shards at one point in time.
struct MetricsSnapshot {
    std::array<uint64_t, kMaxApiKey + 1> requests{};
    std::array<uint64_t, kMaxApiKey + 1> errors{};
    uint64_t bytes_in = 0;
    uint64_t bytes_out = 0;
    int64_t connections = 0;
    uint64_t connections_total = 0;
    uint64_t frames_rejected = 0;
};

// Owned by app::Broker; one slot per shard plus one for threads that are not shards.
class Metrics {
  public:
    explicit Metrics(uint32_t shard_count);
    // The calling shard's slot (the extra slot off-shard).
    ShardMetrics& local();
    void count_request(int16_t api_key);
    void count_error(int16_t api_key);
    MetricsSnapshot snapshot() const;

  private:
    std::vector<std::unique_ptr<ShardMetrics>> slots_;
};

}  // namespace broker::net
