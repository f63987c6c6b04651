#include "broker/cluster/shard.h"

namespace broker::cluster {
namespace {
thread_local ShardIndex t_this_shard = kNoShard;
}

ShardIndex this_shard() {
    return t_this_shard;
}

void set_this_shard(ShardIndex shard) {
    t_this_shard = shard;
}

ShardIndex shard_of(std::string_view topic, int32_t partition, ShardIndex shard_count) {
    if (shard_count <= 1) return 0;
    uint64_t hash = 1469598103934665603ULL;  // FNV-1a 64-bit offset basis
    for (unsigned char c : topic) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    // Consecutive partitions of one topic land on consecutive shards.
    uint64_t mixed = hash + static_cast<uint32_t>(partition);
    return static_cast<ShardIndex>(mixed % shard_count);
}

}  // namespace broker::cluster
