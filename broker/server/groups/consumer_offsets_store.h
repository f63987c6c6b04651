#pragma once
// ConsumerOffsetsStore: the real GroupStore. Group metadata and committed offsets are written as
// Kafka's own key/value records (offsets_record_codec.h) in magic-v2 batches to the partitions of
// __consumer_offsets, through Partition::produce with acks=all, so a write completes only once it
// is fdatasync'ed. load() reads a partition back from its log start: the newest record per key
// wins, a tombstone (null value) removes, and a record that cannot be decoded is logged and
// skipped.
//
// One store per shard, created by the app with make_group_store(); it reaches the
// __consumer_offsets partitions through that shard's PartitionManager, so every call must run on
// that shard and concern a partition the shard owns. partition_for() is pure.

#include <cstdint>
#include <functional>
#include <memory>

#include "broker/server/groups/group_store.h"

namespace broker::partition {
class PartitionManager;
class Partition;
}  // namespace broker::partition

namespace broker::server::groups {

class ConsumerOffsetsStore final : public GroupStore {
  public:
    // `partitions` is this shard's manager (outlives the store); `partition_count` is
    // offsets.topic.num.partitions; `clock` gives record timestamps (ms since the epoch).
    ConsumerOffsetsStore(partition::PartitionManager* partitions, int32_t partition_count,
                         std::function<int64_t()> clock);

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
    std::shared_ptr<partition::Partition> partition(int32_t index) const;

    partition::PartitionManager* partitions_;
    int32_t partition_count_;
    std::function<int64_t()> clock_;
};

// The store for one shard (the app calls it once per shard, on any thread, before the shard
// uses it): `local` is that shard's partition manager, `partition_count` is
// offsets.topic.num.partitions. Record timestamps come from the system clock.
std::unique_ptr<GroupStore> make_group_store(partition::PartitionManager* local,
                                             int32_t partition_count);

}  // namespace broker::server::groups
