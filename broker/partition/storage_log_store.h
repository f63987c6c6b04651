#pragma once
// The production PartitionLogStore: partition logs from a broker::storage::LogManager, adapted
// to the PartitionLog view. The LogManager (one per broker, shared by the shards; its map is
// mutex-guarded) is owned by the app and outlives every store. One StorageLogStore per shard,
// used only on that shard; it applies retention only to the logs it opened.

#include <memory>
#include <set>

#include "broker/partition/partition_log_store.h"
#include "broker/storage/log_manager.h"

namespace broker::partition {

class StorageLogStore final : public PartitionLogStore {
  public:
    explicit StorageLogStore(storage::LogManager* manager) : manager_(manager) {}

    [[nodiscard]] common::Result<std::unique_ptr<PartitionLog>> open(
        const std::string& topic, int32_t partition, const storage::LogConfig& config) override;
    [[nodiscard]] common::Result<void> remove(const std::string& topic, int32_t partition) override;
    [[nodiscard]] common::Result<void> set_config(const std::string& topic, int32_t partition,
                                                  const storage::LogConfig& config) override;
    std::filesystem::path root_dir() const override;
    void run_retention(int64_t now_ms) override;

  private:
    storage::LogManager* manager_;
    std::set<storage::TopicPartition> opened_;
};

}  // namespace broker::partition
