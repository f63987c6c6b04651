#pragma once
// GroupLagCollector: gathers the consumer lag of every group for the admin thread by hopping onto
// the shards (posting work, never locking shard state): each shard's group views first, then the
// high watermark of every committed partition from the shard that owns it. Owned by app::Broker,
// which outlives it with the shards; collect() is called from the admin thread (never from a
// shard) while the shards run.

#include <functional>
#include <vector>

#include "broker/admin/group_lag.h"
#include "broker/cluster/shard.h"

namespace broker::cluster {
class ShardSet;
template <class T>
class Sharded;
}  // namespace broker::cluster
namespace broker::partition {
class PartitionManager;
}

namespace broker::admin {

class GroupLagCollector {
  public:
    // Runs on shard `s` (called there by the collector): that shard's groups.
    using ViewsOnShard = std::function<std::vector<GroupView>(cluster::ShardIndex s)>;

    GroupLagCollector(cluster::ShardSet& shards,
                      cluster::Sharded<partition::PartitionManager>& partitions,
                      ViewsOnShard views);

    // Every group of every shard with its lag, sorted by group id. Blocks until each shard
    // answered.
    std::vector<GroupLag> collect() const;

  private:
    cluster::ShardSet& shards_;
    cluster::Sharded<partition::PartitionManager>& partitions_;
    ViewsOnShard views_;
};

}  // namespace broker::admin
