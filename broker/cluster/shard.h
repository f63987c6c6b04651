#pragma once
// Shard identity: which shard the calling thread is, and which shard owns a partition.
// Every partition is owned by exactly one shard (one io_context thread); its work runs there.

#include <cstdint>
#include <limits>
#include <string_view>

namespace broker::cluster {

using ShardIndex = uint32_t;
inline constexpr ShardIndex kNoShard = std::numeric_limits<ShardIndex>::max();

// The shard whose io_context thread is calling, or kNoShard on any other thread.
ShardIndex this_shard();

// Marks the calling thread as shard `shard` (called once by each shard thread, and by tests
// that run an io_context on their own thread).
void set_this_shard(ShardIndex shard);

// The owning shard of (topic, partition) among `shard_count` shards: a stable hash
// (FNV-1a of the topic name mixed with the partition index), identical across restarts and builds.
ShardIndex shard_of(std::string_view topic, int32_t partition, ShardIndex shard_count);

}  // namespace broker::cluster
