#include "broker/cluster/replica_manager.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>

#include "broker/cluster/topic_config.h"
#include "broker/partition/partition_raft_config.h"
#include "common/asio.h"
#include "common/log.h"

namespace broker::cluster {
namespace {

std::shared_ptr<spdlog::logger> logger() {
    return common::log::get("replicas");
}

bool assigned_here(const PartitionState& state, int32_t node_id) {
    for (int32_t r : state.replicas) {
        if (r == node_id) return true;
    }
    return false;
}

}  // namespace

struct ReplicaManager::BalanceTimer {
    explicit BalanceTimer(boost::asio::io_context& io) : timer(io) {}
    common::asio::steady_timer timer;
    std::chrono::steady_clock::time_point due = std::chrono::steady_clock::time_point::max();
};

ReplicaManager::ReplicaManager(boost::asio::io_context& io, raft::NodeHost& host,
                               partition::PartitionManager& partitions,
                               const config::BrokerConfig& config, ReplicaManagerOptions options)
    : io_(io),
      host_(host),
      partitions_(partitions),
      config_(config),
      options_(std::move(options)),
      balance_timer_(std::make_unique<BalanceTimer>(io)) {
    partitions_.set_clustered(true);
}

ReplicaManager::~ReplicaManager() {
    *alive_ = false;
    stop();
}

void ReplicaManager::start(MetadataCache& cache) {
    cache_ = &cache;
    auto alive = alive_;
    // Called where the cache applies entries (inside the metadata group's apply): hop out of it,
    // since opening and removing groups is not for node callbacks.
    cache.on_update([this, alive](const MetadataState&) {
        if (*alive) schedule_reconcile();
    });
    reconcile();
    schedule_balance(options_.leader_balance_interval);
}

void ReplicaManager::schedule_reconcile() {
    if (reconcile_scheduled_ || stopped_) return;
    reconcile_scheduled_ = true;
    auto alive = alive_;
    common::asio::post(io_, [this, alive] {
        if (!*alive) return;
        reconcile_scheduled_ = false;
        reconcile();
    });
}

void ReplicaManager::stop() {
    if (stopped_) return;
    stopped_ = true;
    balance_timer_->timer.cancel();
    while (!replicas_.empty()) close(replicas_.begin()->first, false);
}

void ReplicaManager::reconcile() {
    if (stopped_ || cache_ == nullptr) return;
    auto state = cache_->current();
    std::set<Key> wanted;
    for (const auto& [id, topic] : state->topics()) {
        for (size_t p = 0; p < topic.partitions.size(); ++p) {
            if (assigned_here(topic.partitions[p], options_.node_id)) {
                wanted.insert(Key{id, static_cast<int32_t>(p)});
            }
        }
    }
    // Close first: a topic deleted and created again under its name reuses the log directories.
    std::vector<Key> gone;
    for (const auto& [key, replica] : replicas_) {
        if (!wanted.contains(key)) gone.push_back(key);
    }
    for (const Key& key : gone) close(key, true);
    for (const Key& key : wanted) {
        const TopicMetadata& topic = *state->topic(key.first);
        auto it = replicas_.find(key);
        if (it != replicas_.end()) {
            update_configs(it->second, topic, key.second);
            continue;
        }
        const PartitionState& partition = topic.partitions[static_cast<size_t>(key.second)];
        if (auto opened = open(topic, key.second, partition); !opened) {
            logger()->error("cannot open replica {}-{}: {}", topic.name, key.second,
                            opened.error().message());
        }
    }
}

common::Result<std::unique_ptr<partition::PartitionLog>> ReplicaManager::open_log(
    const TopicMetadata& topic, int32_t index, const std::string& raft_dir) {
    auto& store = partitions_.store();
    const auto log_config = log_config_for(topic.configs, config_);
    std::error_code ec;
    const bool new_group = !std::filesystem::exists(raft_dir, ec);
    TRIBUTARY_TRY(log, store.open(topic.name, index, log_config));
    if (!new_group || (log->end_offset() == 0 && log->start_offset() == 0)) return log;
    // A group without Raft storage starts from nothing: what a Kafka log holds then belongs to
    // an earlier topic of this name (or lost its Raft log); the leader re-replicates the rest.
    logger()->warn("{}-{}: dropping a Kafka log [{}, {}) left without its Raft group", topic.name,
                   index, log->start_offset(), log->end_offset());
    log.reset();
    TRIBUTARY_TRY(store.remove(topic.name, index));
    return store.open(topic.name, index, log_config);
}

common::Result<void> ReplicaManager::open(const TopicMetadata& topic, int32_t index,
                                          const PartitionState& state) {
    const raft::GroupId group = partition::partition_group_id(topic.id, index);
    const std::string dir = options_.group_dir(group);
    TRIBUTARY_TRY(log, open_log(topic, index, dir));
    TRIBUTARY_TRY(partition, partition::ReplicatedPartition::open(
                                 topic.name, index, std::move(log), io_.get_executor(),
                                 partition_settings_for(topic.configs, config_)));
    raft::GroupSpec spec;
    spec.config = partition::partition_raft_config(group, raft::NodeId(options_.node_id),
                                                   config_.partition_snapshot_interval_entries);
    spec.config.election_timeout_min = options_.election_timeout_min;
    spec.config.election_timeout_max = options_.election_timeout_max;
    spec.config.replica_lag_max = options_.replica_lag_max;
    spec.dir = dir;
    spec.state_machine = partition.get();
    std::vector<raft::NodeId> members;
    for (int32_t r : state.replicas) members.emplace_back(r);
    spec.initial = raft::Membership::of(std::move(members));
    spec.callbacks = partition->callbacks();
    auto node = host_.add_group(std::move(spec));
    if (!node) {
        (void)partition->close();
        return node.error();
    }
    partition->attach(node.value());
    partitions_.attach_replicated(topic.name, index, partition);
    replicas_.emplace(Key{topic.id, index},
                      Replica{topic.name, group, std::move(partition), topic.configs});
    logger()->info("replica {}-{} open (Raft group {}, {} replicas)", topic.name, index,
                   group.value(), state.replicas.size());
    schedule_balance(options_.first_balance_delay);
    return common::ok();
}

void ReplicaManager::update_configs(Replica& replica, const TopicMetadata& topic, int32_t index) {
    if (replica.configs == topic.configs) return;
    replica.configs = topic.configs;
    replica.partition->set_settings(partition_settings_for(topic.configs, config_));
    auto applied =
        partitions_.store().set_config(topic.name, index, log_config_for(topic.configs, config_));
    if (!applied) {
        logger()->warn("{}-{}: new topic configs not applied to the log: {}", topic.name, index,
                       applied.error().message());
    }
}

void ReplicaManager::close(const Key& key, bool delete_data) {
    auto it = replicas_.find(key);
    if (it == replicas_.end()) return;
    Replica replica = std::move(it->second);
    replicas_.erase(it);
    partitions_.detach_replicated(replica.topic, key.second);
    if (auto closed = replica.partition->close(); !closed) {
        logger()->warn("closing replica {}-{}: {}", replica.topic, key.second,
                       closed.error().message());
    }
    host_.remove_group(replica.group);
    replica.partition->attach(nullptr);
    if (!delete_data) return;
    if (auto removed = partitions_.store().remove(replica.topic, key.second); !removed) {
        logger()->warn("deleting the log of {}-{}: {}", replica.topic, key.second,
                       removed.error().message());
    }
    std::error_code ec;
    std::filesystem::remove_all(options_.group_dir(replica.group), ec);
    if (ec) {
        logger()->warn("deleting the Raft storage of {}-{}: {}", replica.topic, key.second,
                       ec.message());
    }
    logger()->info("replica {}-{} closed and deleted", replica.topic, key.second);
}

std::vector<LeaderReport> ReplicaManager::leader_reports() const {
    std::vector<LeaderReport> reports;
    for (const auto& [key, replica] : replicas_) {
        const raft::RaftNode* node = host_.node(replica.group);
        if (node == nullptr || !node->is_leader() || !node->leader_ready()) continue;
        LeaderReport report;
        report.topic_id = key.first;
        report.partition = key.second;
        report.leader_epoch = static_cast<int32_t>(node->term().value());
        for (raft::NodeId id : node->in_sync_voters()) report.isr.push_back(id.value());
        reports.push_back(std::move(report));
    }
    return reports;
}

void ReplicaManager::schedule_balance(raft::Millis delay) {
    if (!options_.balance_leaders || stopped_) return;
    const auto due = std::chrono::steady_clock::now() + delay;
    if (due >= balance_timer_->due) return;
    balance_timer_->due = due;
    balance_timer_->timer.expires_at(due);
    balance_timer_->timer.async_wait([this, alive = alive_](boost::system::error_code ec) {
        if (ec || !*alive || stopped_) return;
        balance_timer_->due = std::chrono::steady_clock::time_point::max();
        balance_leaders();
        schedule_balance(options_.leader_balance_interval);
    });
}

size_t ReplicaManager::balance_leaders() {
    if (cache_ == nullptr) return 0;
    const auto state = cache_->current();
    size_t started = 0;
    for (const auto& [key, replica] : replicas_) {
        if (hand_to_preferred(key, replica, *state)) ++started;
    }
    return started;
}

bool ReplicaManager::hand_to_preferred(const Key& key, const Replica& replica,
                                       const MetadataState& state) {
    raft::RaftNode* node = host_.node(replica.group);
    if (node == nullptr || !node->is_leader() || !node->leader_ready()) return false;
    const TopicMetadata* topic = state.topic(key.first);
    if (topic == nullptr || static_cast<size_t>(key.second) >= topic->partitions.size()) {
        return false;
    }
    const auto& replicas = topic->partitions[static_cast<size_t>(key.second)].replicas;
    if (replicas.empty() || replicas.front() == options_.node_id) return false;
    const int32_t preferred = replicas.front();
    const auto broker = state.brokers().find(preferred);
    if (broker == state.brokers().end() || broker->second.fenced) return false;
    // In sync, and heard from just now: a broker killed a moment ago stays in sync (and
    // unfenced) for a while, and handing it the leadership would only pause the partition.
    const auto in_sync = node->in_sync_voters();
    const auto progress = node->progress(raft::NodeId(preferred));
    if (std::find(in_sync.begin(), in_sync.end(), raft::NodeId(preferred)) == in_sync.end() ||
        !progress || node->now() - progress->last_response > options_.election_timeout_min) {
        return false;
    }
    if (auto moved = node->transfer_leadership(raft::NodeId(preferred)); !moved) {
        logger()->debug("{}-{}: leadership not handed to preferred replica {}: {}", replica.topic,
                        key.second, preferred, moved.error().message());
        return false;
    }
    logger()->info("{}-{}: handing leadership to its preferred replica {}", replica.topic,
                   key.second, preferred);
    return true;
}

std::shared_ptr<partition::ReplicatedPartition> ReplicaManager::replica(const std::string& topic,
                                                                        int32_t index) const {
    for (const auto& [key, replica] : replicas_) {
        if (replica.topic == topic && key.second == index) return replica.partition;
    }
    return nullptr;
}

}  // namespace broker::cluster
