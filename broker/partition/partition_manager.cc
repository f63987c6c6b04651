#include "broker/partition/partition_manager.h"

#include "broker/partition/errc.h"
#include "common/log.h"

namespace broker::partition {

common::Result<std::shared_ptr<Partition>> PartitionManager::create(
    const std::string& topic, int32_t index, const storage::LogConfig& log_config,
    PartitionSettings settings) {
    if (auto existing = get(topic, index)) {
        TRIBUTARY_TRY(store_->set_config(topic, index, log_config));
        existing->set_settings(settings);
        return existing;
    }
    TRIBUTARY_TRY(log, store_->open(topic, index, log_config));
    TRIBUTARY_TRY(partition, Partition::open(topic, index, std::move(log), executor_, settings));
    partitions_[Key{topic, index}] = partition;
    return partition;
}

std::shared_ptr<Partition> PartitionManager::get(const std::string& topic, int32_t index) const {
    auto it = partitions_.find(Key{topic, index});
    return it == partitions_.end() ? nullptr : it->second;
}

common::Result<std::shared_ptr<DataPath>> PartitionManager::data_path(const std::string& topic,
                                                                      int32_t index) const {
    if (auto it = replicated_.find(Key{topic, index}); it != replicated_.end()) return it->second;
    if (auto local = get(topic, index)) return std::shared_ptr<DataPath>(std::move(local));
    return clustered_ ? Errc::NotLeaderOrFollower : Errc::UnknownTopicOrPartition;
}

void PartitionManager::attach_replicated(const std::string& topic, int32_t index,
                                         std::shared_ptr<DataPath> partition) {
    replicated_[Key{topic, index}] = std::move(partition);
}

void PartitionManager::detach_replicated(const std::string& topic, int32_t index) {
    replicated_.erase(Key{topic, index});
}

common::Result<void> PartitionManager::remove(const std::string& topic, int32_t index) {
    auto it = partitions_.find(Key{topic, index});
    if (it != partitions_.end()) {
        if (auto closed = it->second->close(); !closed) {
            common::log::get("partition")
                ->warn("closing {}-{} before removal: {}", topic, index, closed.error().message());
        }
        partitions_.erase(it);
    }
    return store_->remove(topic, index);
}

common::Result<int64_t> PartitionManager::allocate_producer_id() {
    if (!producer_ids_) {
        TRIBUTARY_TRY(opened, ProducerIdAllocator::open(store_->root_dir()));
        producer_ids_.emplace(std::move(opened));
    }
    return producer_ids_->allocate();
}

common::Result<void> PartitionManager::close_all() {
    common::Result<void> first = common::ok();
    for (auto& [key, partition] : partitions_) {
        auto r = partition->close();
        if (!r && first) first = r;
    }
    partitions_.clear();
    replicated_.clear();  // their owner (ReplicaManager) closes them
    return first;
}

}  // namespace broker::partition
