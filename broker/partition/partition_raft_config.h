#pragma once
// partition_raft_config(): the Raft tunables of a partition's group (docs/raft.md, "Partitions
// on Raft"). The broker's replica manager starts every partition group with it; the caller may
// then adjust the election timeouts. Pure; usable on any thread.

#include <cstdint>

#include "broker/raft/raft_config.h"

namespace broker::partition {

// Raft entries applied between two snapshots of a partition group (one entry is one produced
// batch): each snapshot flushes the Kafka log and drops the Raft log below it, so a partition's
// Raft log holds about this many batches (its disk space is freed one Raft segment at a time).
// Broker config `tributary.partition.snapshot.interval.entries`; 0 turns truncation off.
inline constexpr int64_t kDefaultPartitionSnapshotInterval = 10000;

// `group` = partition_group_id(topic id, index); `self` = this broker.
inline raft::RaftConfig partition_raft_config(
    raft::GroupId group, raft::NodeId self,
    int64_t snapshot_interval = kDefaultPartitionSnapshotInterval) {
    raft::RaftConfig config;
    config.group = group;
    config.self = self;
    config.snapshot_interval =
        static_cast<raft::Index>(snapshot_interval < 0 ? 0 : snapshot_interval);
    config.seed = static_cast<uint64_t>(self.value()) * 7919 + static_cast<uint64_t>(group.value());
    return config;
}

}  // namespace broker::partition
