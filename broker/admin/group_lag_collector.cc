#include "broker/admin/group_lag_collector.h"

#include <future>
#include <map>
#include <memory>

#include "broker/cluster/shard_set.h"
#include "broker/cluster/sharded.h"
#include "broker/partition/partition_manager.h"

namespace broker::admin {

namespace {

using HighWatermarks = std::map<TopicPartition, int64_t>;

// Runs fn() on the shard's thread and waits for its result (the caller is not a shard).
template <class F>
auto run_on(common::asio::io_context& shard, F fn) -> decltype(fn()) {
    using R = decltype(fn());
    auto promise = std::make_shared<std::promise<R>>();
    auto result = promise->get_future();
    common::asio::post(shard,
                       [promise, fn = std::move(fn)]() mutable { promise->set_value(fn()); });
    return result.get();
}

// On the owning shard: the high watermark of each open partition among `wanted`.
HighWatermarks high_watermarks(partition::PartitionManager* pm,
                               const std::vector<TopicPartition>& wanted) {
    HighWatermarks out;
    for (const auto& tp : wanted) {
        if (auto p = pm->get(tp.topic, tp.partition)) out[tp] = p->high_watermark();
    }
    return out;
}

}  // namespace

GroupLagCollector::GroupLagCollector(cluster::ShardSet& shards,
                                     cluster::Sharded<partition::PartitionManager>& partitions,
                                     ViewsOnShard views)
    : shards_(shards), partitions_(partitions), views_(std::move(views)) {}

std::vector<GroupLag> GroupLagCollector::collect() const {
    std::vector<GroupView> views;
    for (cluster::ShardIndex s = 0; s < shards_.size(); ++s) {
        auto local = run_on(shards_.context(s), [this, s] { return views_(s); });
        for (auto& v : local) views.push_back(std::move(v));
    }
    std::map<cluster::ShardIndex, std::vector<TopicPartition>> by_shard;
    for (const auto& v : views) {
        for (const auto& [tp, offset] : v.offsets) {
            by_shard[cluster::shard_of(tp.topic, tp.partition, shards_.size())].push_back(tp);
        }
    }
    HighWatermarks known;
    for (auto& [s, wanted] : by_shard) {
        if (!partitions_.has(s)) continue;
        partition::PartitionManager* pm = &partitions_.on(s);
        known.merge(
            run_on(shards_.context(s), [pm, &wanted] { return high_watermarks(pm, wanted); }));
    }
    return compute_group_lag(std::move(views), [&known](const TopicPartition& tp) {
        auto it = known.find(tp);
        return it == known.end() ? std::optional<int64_t>{} : std::optional<int64_t>(it->second);
    });
}

}  // namespace broker::admin
