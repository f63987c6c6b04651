#pragma once
// ReplicaManager: runs this broker's replicas of Raft-replicated partitions (docs/raft.md,
// "Partitions on Raft"). It follows the quorum's MetadataCache; for every partition whose
// replicas include this broker it opens the partition's Kafka log (the same `<topic>-<p>`
// directories as on a single node), a ReplicatedPartition over it, and the partition's Raft group
// on the broker's NodeHost (group partition_group_id(topic id, p), founding members = the
// replicas), and makes it reachable to the data-path handlers through the PartitionManager of
// shard 0. A partition that leaves the metadata (topic deleted) or stops being assigned here is
// closed and its Kafka log and Raft storage are deleted. On restart the groups reopen from their
// Raft storage, which holds their membership. Leaders move to the partitions' preferred replicas
// (balance_leaders) so that leadership follows the placement's balance.
//
// Lives on shard 0, the NodeHost's io_context: every member is called there (or before it runs).
// The io_context, NodeHost, PartitionManager, config and cache outlive it; stop() before the
// NodeHost stops.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "broker/cluster/leader_report.h"
#include "broker/cluster/metadata_cache.h"
#include "broker/config/broker_config.h"
#include "broker/partition/partition_manager.h"
#include "broker/partition/replicated_partition.h"
#include "broker/raft/node_host.h"

namespace boost::asio {
class io_context;
}

namespace broker::cluster {

struct ReplicaManagerOptions {
    int32_t node_id = 0;
    // Where a partition group keeps its Raft log, term and vote (RaftRuntime::group_dir).
    std::function<std::string(raft::GroupId)> group_dir;
    raft::Millis election_timeout_min{300};
    raft::Millis election_timeout_max{600};
    // Preferred leaders (auto.leader.rebalance.enable): a partition led here whose first replica
    // is another live, in-sync broker hands its leadership to it. Checked every
    // leader_balance_interval (leader.imbalance.check.interval.seconds) and, for a partition
    // just opened here, after first_balance_delay.
    // A follower that has not caught up for this long leaves the ISR (replica.lag.time.max.ms).
    raft::Millis replica_lag_max{10000};
    bool balance_leaders = true;
    raft::Millis leader_balance_interval{300000};
    raft::Millis first_balance_delay{2000};
};

class ReplicaManager {
  public:
    ReplicaManager(boost::asio::io_context& io, raft::NodeHost& host,
                   partition::PartitionManager& partitions, const config::BrokerConfig& config,
                   ReplicaManagerOptions options);
    ~ReplicaManager();
    ReplicaManager(const ReplicaManager&) = delete;
    ReplicaManager& operator=(const ReplicaManager&) = delete;

    // Opens what `cache` assigns here now and follows its updates from then on.
    void start(MetadataCache& cache);
    // Closes every replica (their Kafka logs are flushed) and leaves their groups; data stays.
    void stop();

    // One report per partition this broker leads (leader ready: its noop committed): the Raft
    // term as leader epoch and the caught-up voters as ISR.
    std::vector<LeaderReport> leader_reports() const;

    size_t size() const { return replicas_.size(); }
    // Hands the leadership of every partition led here to its preferred replica (the first)
    // where that one is live (unfenced) and in sync. Returns how many transfers it started.
    size_t balance_leaders();
    // The open replica of (topic, index), or nullptr.
    std::shared_ptr<partition::ReplicatedPartition> replica(const std::string& topic,
                                                            int32_t index) const;

  private:
    using Key = std::pair<Uuid, int32_t>;  // topic id, partition
    struct Replica {
        std::string topic;
        raft::GroupId group;
        std::shared_ptr<partition::ReplicatedPartition> partition;
        TopicConfigMap configs;
    };

    struct BalanceTimer;
    void schedule_reconcile();
    // Runs balance_leaders() after `delay` unless a check is due sooner.
    void schedule_balance(raft::Millis delay);
    bool hand_to_preferred(const Key& key, const Replica& replica, const MetadataState& state);
    // Brings the open replicas in line with the cache's current state.
    void reconcile();
    [[nodiscard]] common::Result<void> open(const TopicMetadata& topic, int32_t index,
                                            const PartitionState& state);
    [[nodiscard]] common::Result<std::unique_ptr<partition::PartitionLog>> open_log(
        const TopicMetadata& topic, int32_t index, const std::string& raft_dir);
    void update_configs(Replica& replica, const TopicMetadata& topic, int32_t index);
    void close(const Key& key, bool delete_data);

    boost::asio::io_context& io_;
    raft::NodeHost& host_;
    partition::PartitionManager& partitions_;
    const config::BrokerConfig& config_;
    ReplicaManagerOptions options_;
    MetadataCache* cache_ = nullptr;
    std::map<Key, Replica> replicas_;
    std::unique_ptr<BalanceTimer> balance_timer_;
    bool reconcile_scheduled_ = false;
    bool stopped_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace broker::cluster
