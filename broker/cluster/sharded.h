#pragma once
// Sharded<T>: one instance of a service per shard (e.g. the partition manager), each touched only
// from its own shard's thread. Reach another shard's instance with ShardSet::invoke_on().

#include <cstddef>
#include <memory>
#include <vector>

#include "broker/cluster/shard.h"

namespace broker::cluster {

// Owns the per-shard instances for the broker's lifetime; instances are created and destroyed by
// the app while the shards are not running. on(s) may only be used on shard s.
template <class T>
class Sharded {
  public:
    explicit Sharded(ShardIndex shard_count) : instances_(shard_count) {}

    void set(ShardIndex shard, std::unique_ptr<T> instance) {
        instances_.at(shard) = std::move(instance);
    }
    T& on(ShardIndex shard) { return *instances_.at(shard); }
    T& local() { return on(this_shard()); }
    bool has(ShardIndex shard) const { return shard < instances_.size() && instances_[shard]; }
    ShardIndex size() const { return static_cast<ShardIndex>(instances_.size()); }

  private:
    std::vector<std::unique_ptr<T>> instances_;
};

}  // namespace broker::cluster
