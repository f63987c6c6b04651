#pragma once
// PartitionManager: the partitions owned by one shard — create/open, look up, remove, retention,
// and clean shutdown. One per shard (cluster::Sharded<PartitionManager>), created by the app;
// used only on its shard's thread. Partitions are shared_ptr so in-flight requests outlive
// a removal. In clustered mode the manager of shard 0 also lists the Raft-replicated partitions
// this broker holds (opened and closed by cluster::ReplicaManager), so the data-path handlers
// find either kind through data_path().

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "broker/partition/partition.h"
#include "broker/partition/partition_log_store.h"
#include "broker/partition/producer_id_allocator.h"
#include "common/asio.h"
#include "common/result.h"

namespace broker::partition {

class PartitionManager {
  public:
    PartitionManager(common::asio::any_io_executor executor,
                     std::unique_ptr<PartitionLogStore> store)
        : executor_(std::move(executor)), store_(std::move(store)) {}

    // Opens (or creates) the partition; an open partition is returned after taking the given
    // log config and settings (this is how a topic config change reaches a running partition).
    [[nodiscard]] common::Result<std::shared_ptr<Partition>> create(
        const std::string& topic, int32_t index, const storage::LogConfig& log_config,
        PartitionSettings settings);

    // The open partition, or nullptr.
    std::shared_ptr<Partition> get(const std::string& topic, int32_t index) const;

    // What the data-path handlers serve (topic, index) with: the replicated partition when this
    // broker replicates it, else the local one. Missing: UnknownTopicOrPartition, or, in
    // clustered mode, NotLeaderOrFollower (the topic exists but this broker is not a replica).
    [[nodiscard]] common::Result<std::shared_ptr<DataPath>> data_path(const std::string& topic,
                                                                      int32_t index) const;
    // Clustered mode: a partition this manager does not hold is led elsewhere.
    void set_clustered(bool clustered) { clustered_ = clustered; }
    // Makes a replicated partition reachable through data_path() (or stops it).
    void attach_replicated(const std::string& topic, int32_t index,
                           std::shared_ptr<DataPath> partition);
    void detach_replicated(const std::string& topic, int32_t index);
    // Where partition logs come from (ReplicaManager opens and deletes replicated ones here).
    PartitionLogStore& store() { return *store_; }

    // Closes the partition and deletes its data. Removing an unknown partition is not an error.
    [[nodiscard]] common::Result<void> remove(const std::string& topic, int32_t index);

    // Runs retention over this shard's logs.
    void run_retention(int64_t now_ms) { store_->run_retention(now_ms); }

    // Closes every partition (flush + producer snapshot); the first error is returned.
    [[nodiscard]] common::Result<void> close_all();

    // A new producer id for InitProducerId. Only the manager of shard 0 hands out ids (callers
    // hop there); the persisted block lives in the store's root dir. Errors: IoError, Malformed.
    [[nodiscard]] common::Result<int64_t> allocate_producer_id();

    size_t size() const { return partitions_.size(); }
    const common::asio::any_io_executor& executor() const { return executor_; }

  private:
    using Key = std::pair<std::string, int32_t>;

    common::asio::any_io_executor executor_;
    std::unique_ptr<PartitionLogStore> store_;
    std::map<Key, std::shared_ptr<Partition>> partitions_;
    std::map<Key, std::shared_ptr<DataPath>> replicated_;
    bool clustered_ = false;
    std::optional<ProducerIdAllocator> producer_ids_;  // opened on first use
};

}  // namespace broker::partition
