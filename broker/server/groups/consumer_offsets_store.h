#pragma once
// ConsumerOffsetsStore: the real GroupStore. Group metadata and committed offsets are written as
// Kafka's own key/value records (offsets_record_codec.h) in magic-v2 batches to the partitions of
// __consumer_offsets, through the partition's data path with acks=all: a write completes once it
// is fdatasync'ed (single node) or committed by the partition's Raft group with at least
// min.insync.replicas in sync (clustered). load() reads a partition back from its log start: the
// newest record per key wins, a tombstone (null value) removes, and a record that cannot be
// decoded is logged and skipped.
//
// One store per shard, created by the app with make_group_store(); it reaches the
// __consumer_offsets partitions through that shard's PartitionManager (clustered: shard 0, where
// the replicated partitions are), so every call must run on that shard and concern a partition
// the shard holds. partition_for() may be called on any shard.

#include <cstdint>
#include <functional>
#include <memory>

#include "broker/server/groups/group_store.h"

namespace broker::partition {
class PartitionManager;
}  // namespace broker::partition

namespace broker::server::groups {

class ConsumerOffsetsStore final : public GroupStore {
  public:
    // The partition count of __consumer_offsets as it exists (0 while it does not yet).
    using PartitionCount = std::function<int32_t()>;

    // `partitions` is this shard's manager (outlives the store); `min_insync_replicas` is what
    // writes ask for (min.insync.replicas; a single node ignores it); `clock` gives record
    // timestamps (ms since the epoch).
    ConsumerOffsetsStore(partition::PartitionManager* partitions, PartitionCount partition_count,
                         int32_t min_insync_replicas, std::function<int64_t()> clock);

    int32_t partition_for(std::string_view group_id) const override;

    common::awaitable<common::Result<void>> write_group(const std::string& group_id,
                                                        const GroupRecord& record) override;
    common::awaitable<common::Result<void>> write_offsets(const std::string& group_id,
                                                          const OffsetMap& offsets) override;
    common::awaitable<common::Result<void>> delete_offsets(
        const std::string& group_id, const std::vector<TopicPartition>& partitions) override;
    common::awaitable<common::Result<void>> delete_group(const std::string& group_id,
                                                         const OffsetMap& offsets) override;
    common::awaitable<common::Result<std::vector<LoadedGroup>>> load(int32_t partition) override;

  private:
    // One key/value pair to append (nullopt value: a tombstone).
    struct Entry {
        std::vector<uint8_t> key;
        std::optional<std::vector<uint8_t>> value;
    };

    // Appends the entries as one batch to the group's partition and waits until it is durable.
    common::awaitable<common::Result<void>> append(const std::string& group_id,
                                                   std::vector<Entry> entries);
    partition::PartitionManager* partitions_;
    PartitionCount partition_count_;
    int32_t min_insync_replicas_;
    std::function<int64_t()> clock_;
};

// The store for one shard (the app calls it once per shard, on any thread, before the shard
// uses it): `local` is that shard's partition manager. Record timestamps come from the system
// clock.
std::unique_ptr<GroupStore> make_group_store(partition::PartitionManager* local,
                                             ConsumerOffsetsStore::PartitionCount partition_count,
                                             int32_t min_insync_replicas);

}  // namespace broker::server::groups
