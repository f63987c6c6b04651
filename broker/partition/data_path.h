#pragma once
// DataPath: what the Kafka data-path handlers (Produce, Fetch, ListOffsets,
// OffsetForLeaderEpoch) need of one partition, whoever keeps it: a single-node `Partition`
// (leader epoch 0, min.insync.replicas ignored) or a Raft-replicated `ReplicatedPartition`
// (leader only; epoch = Raft term). The handlers get one from their shard's PartitionManager and
// never ask which kind it is. An implementation lives on, and is called only on, its shard.

#include <cstdint>
#include <vector>

#include "broker/partition/partition_log.h"
#include "broker/partition/partition_types.h"
#include "common/asio.h"
#include "common/result.h"

namespace broker::partition {

// OffsetForLeaderEpoch's answer: the largest epoch <= the requested one that this log knows and
// the offset where it ends; both -1 (undefined) when the requested epoch is unknown.
struct EpochEndOffset {
    int32_t leader_epoch = -1;
    int64_t end_offset = -1;
};

class DataPath {
  public:
    virtual ~DataPath() = default;

    // Validates and appends one batch, answering as `acks` asks (0/1: appended, -1: durable on
    // a single node, committed with at least `min_insync_replicas` in-sync replicas when
    // replicated). Errors: the partition's Errc (NotLeaderOrFollower, NotEnoughReplicas, ...).
    virtual common::awaitable<common::Result<ProduceResult>> produce(
        std::vector<uint8_t> records, int16_t acks, int32_t min_insync_replicas) = 0;
    // Reads visible (below the high watermark) batches from `offset`.
    [[nodiscard]] virtual common::Result<FetchData> read(int64_t offset, int32_t max_bytes,
                                                         bool min_one) = 0;
    // Calls waker.wake now if data past `offset` is visible, else once it is (or once this
    // partition can no longer serve it).
    virtual void add_waiter(int64_t offset, FetchWaker waker) = 0;
    // ListOffsets: -2 earliest, -1 latest, -3 max timestamp, otherwise by timestamp.
    [[nodiscard]] virtual common::Result<TimestampOffset> offset_for(int64_t timestamp) = 0;
    // OffsetForLeaderEpoch.
    [[nodiscard]] virtual common::Result<EpochEndOffset> end_offset_for_epoch(int32_t epoch) = 0;
    // The client's current_leader_epoch (-1: not given) against ours. Errors:
    // UnknownLeaderEpoch (ours is older), FencedLeaderEpoch (the client's is older).
    [[nodiscard]] virtual common::Result<void> check_leader_epoch(
        int32_t current_leader_epoch) const = 0;
    virtual int32_t leader_epoch() const = 0;
    // Topic config changes (max.message.bytes) reach the partition through this.
    virtual void set_settings(PartitionSettings settings) = 0;
};

}  // namespace broker::partition
