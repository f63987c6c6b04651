#pragma once
// TopicController: the single-node implementation of Topics. It owns the TopicTable on the
// controller shard (shard 0): every change hops there, is validated, persisted, applied to the
// partition managers of the owning shards, and then published as a new immutable snapshot to
// every shard. Reads (snapshot()) are served from the calling shard's copy without a hop.

#include <atomic>
#include <memory>
#include <vector>

#include "broker/cluster/shard_set.h"
#include "broker/cluster/sharded.h"
#include "broker/cluster/topic_table.h"
#include "broker/cluster/topics.h"
#include "broker/config/broker_config.h"

namespace broker::partition {
class PartitionManager;
}

namespace broker::cluster {

// Owned by app::Broker, outlives the shards' work. `partitions` may be null (tests without
// storage): then only the table changes.
class TopicController final : public Topics {
  public:
    static constexpr ShardIndex kControllerShard = 0;

    TopicController(const config::BrokerConfig& config, ShardSet& shards,
                    Sharded<partition::PartitionManager>* partitions);

    // Start-up, from a thread that is not a shard while the shards run: loads the table, opens
    // every partition on its owning shard and publishes the first snapshot.
    [[nodiscard]] common::Result<void> start();

    std::shared_ptr<const TopicSnapshot> snapshot() override;
    boost::asio::awaitable<TopicOpStatus> create_topic(CreateTopicArgs args,
                                                       TopicInfo* created) override;
    boost::asio::awaitable<TopicOpStatus> delete_topic(std::string name) override;
    boost::asio::awaitable<TopicOpStatus> create_partitions(std::string name, int32_t total_count,
                                                            bool validate_only) override;
    boost::asio::awaitable<TopicOpStatus> replace_configs(std::string name, TopicConfigMap configs,
                                                          bool validate_only) override;
    boost::asio::awaitable<TopicOpStatus> alter_configs(std::string name,
                                                        std::vector<ConfigChange> changes,
                                                        bool validate_only) override;

    // Partitions over all topics; readable from any thread (metrics).
    int64_t partition_count() const { return partition_count_.load(std::memory_order_relaxed); }
    int64_t topic_count() const { return topic_count_.load(std::memory_order_relaxed); }

  private:
    common::awaitable<void> load_and_open(common::Result<void>* result);
    // Creates __consumer_offsets when it is missing (offsets.topic.num.partitions, compacted).
    common::awaitable<TopicOpStatus> ensure_offsets_topic();
    // Clustered mode: deletes a __consumer_offsets this broker kept locally (before the cluster
    // topic existed), so the replicated partitions of that name can take its place.
    common::awaitable<void> drop_local_offsets_topic();
    common::awaitable<TopicOpStatus> create_here(CreateTopicArgs args, TopicInfo* created);
    common::awaitable<TopicOpStatus> delete_here(std::string name);
    common::awaitable<TopicOpStatus> grow_here(std::string name, int32_t total, bool validate_only);
    common::awaitable<TopicOpStatus> set_configs_here(std::string name, TopicConfigMap configs,
                                                      bool validate_only);
    common::awaitable<TopicOpStatus> alter_here(std::string name, std::vector<ConfigChange> changes,
                                                bool validate_only);
    // Opens partitions [from, to) of `topic` on their owning shards.
    common::awaitable<bool> open_partitions(const TopicInfo& topic, int32_t from, int32_t to);
    common::awaitable<bool> remove_partitions(std::string topic, int32_t count);
    // Copies the table's snapshot to every shard.
    common::awaitable<void> publish();
    void set_view(std::shared_ptr<const TopicSnapshot> view);

    const config::BrokerConfig& config_;
    ShardSet& shards_;
    Sharded<partition::PartitionManager>* partitions_;
    TopicTable table_;
    // views_[s] is read and written only on shard s.
    std::vector<std::shared_ptr<const TopicSnapshot>> views_;
    std::atomic<int64_t> partition_count_{0};
    std::atomic<int64_t> topic_count_{0};
};

}  // namespace broker::cluster
