#pragma once
// PartitionLogStore: where a shard's partition logs come from. The production implementation
// (storage_partition_log.h) sits on broker::storage::LogManager; tests use an in-memory store.
// Owned by its shard's PartitionManager; used only on that shard.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "broker/partition/partition_log.h"
#include "broker/storage/log_config.h"
#include "common/result.h"

namespace broker::partition {

class PartitionLogStore {
  public:
    virtual ~PartitionLogStore() = default;

    // Opens the log of (topic, partition), creating it when it does not exist yet.
    [[nodiscard]] virtual common::Result<std::unique_ptr<PartitionLog>> open(
        const std::string& topic, int32_t partition, const storage::LogConfig& config) = 0;

    // Deletes the log's files (the PartitionLog was released first).
    [[nodiscard]] virtual common::Result<void> remove(const std::string& topic,
                                                      int32_t partition) = 0;

    // The broker's data directory (the first of log.dirs): broker-wide files such as the
    // producer id block live there.
    virtual std::filesystem::path root_dir() const = 0;

    // Gives the open log of (topic, partition) new settings (a topic config change).
    [[nodiscard]] virtual common::Result<void> set_config(const std::string& topic,
                                                          int32_t partition,
                                                          const storage::LogConfig& config) = 0;

    // Applies retention (time and size) to every open log at wall-clock `now_ms`.
    virtual void run_retention(int64_t now_ms) = 0;
};

}  // namespace broker::partition
