#include "broker/cluster/topic_controller.h"

#include <algorithm>
#include <future>

#include "broker/cluster/errc.h"
#include "broker/cluster/topic_config.h"
#include "broker/partition/partition_manager.h"
#include "common/log.h"

namespace broker::cluster {

using common::awaitable;

namespace {

auto& cluster_log() {
    static auto logger = common::log::get("cluster");
    return logger;
}

TopicOpStatus fail(Errc e, std::string message) {
    return TopicOpStatus{e, std::move(message)};
}

// Runs on the owning shard of (topic, index).
std::error_code open_on_shard(partition::PartitionManager* pm, std::string topic, int32_t index,
                              storage::LogConfig log_config, partition::PartitionSettings s) {
    auto opened = pm->create(topic, index, log_config, s);
    if (!opened) {
        cluster_log()->error("cannot open partition {}-{}: {}", topic, index,
                             opened.error().message());
        return opened.error();
    }
    return {};
}

std::error_code remove_on_shard(partition::PartitionManager* pm, std::string topic, int32_t index) {
    auto removed = pm->remove(topic, index);
    if (!removed) {
        cluster_log()->error("cannot remove partition {}-{}: {}", topic, index,
                             removed.error().message());
        return removed.error();
    }
    return {};
}

}  // namespace

TopicController::TopicController(const config::BrokerConfig& config, ShardSet& shards,
                                 Sharded<partition::PartitionManager>* partitions)
    : config_(config),
      shards_(shards),
      partitions_(partitions),
      table_(config.log_dir),
      views_(shards.size(), std::make_shared<const TopicSnapshot>()) {}

common::Result<void> TopicController::start() {
    common::Result<void> result = common::ok();
    auto done = common::asio::co_spawn(shards_.context(kControllerShard), load_and_open(&result),
                                       common::asio::use_future);
    done.get();
    return result;
}

awaitable<void> TopicController::load_and_open(common::Result<void>* result) {
    auto loaded = table_.load();
    if (!loaded) {
        *result = loaded.error();
        co_return;
    }
    auto snap = table_.snapshot();
    for (const auto& [name, info] : snap->topics()) {
        bool ok = co_await open_partitions(info, 0, info.partition_count);
        if (!ok) *result = make_error_code(Errc::PartitionSetupFailed);
    }
    cluster_log()->info("loaded {} topics from {}", table_.size(), config_.log_dir);
    if (!config_.controller_quorum_voters.empty()) {
        // Clustered: __consumer_offsets is a replicated cluster topic, not this broker's.
        co_await drop_local_offsets_topic();
    } else if (auto created = co_await ensure_offsets_topic(); !created) {
        cluster_log()->error("cannot create {}: {} {}", kConsumerOffsetsTopic,
                             created.error.message(), created.message);
        *result = created.error;
    }
    co_await publish();
}

awaitable<TopicOpStatus> TopicController::ensure_offsets_topic() {
    if (table_.find(std::string(kConsumerOffsetsTopic)) != nullptr) co_return TopicOpStatus{};
    co_return co_await create_here(offsets_topic_args(config_, 1), nullptr);
}

awaitable<void> TopicController::drop_local_offsets_topic() {
    const auto* local = table_.find(std::string(kConsumerOffsetsTopic));
    if (local == nullptr) co_return;
    cluster_log()->warn(
        "dropping this broker's local {} ({} partitions): in clustered mode committed offsets "
        "live in the replicated {} (docs/consumer-offsets.md)",
        kConsumerOffsetsTopic, local->partition_count, kConsumerOffsetsTopic);
    if (auto deleted = co_await delete_here(std::string(kConsumerOffsetsTopic)); !deleted) {
        cluster_log()->error("cannot drop the local {}: {} {}", kConsumerOffsetsTopic,
                             deleted.error.message(), deleted.message);
    }
}

std::shared_ptr<const TopicSnapshot> TopicController::snapshot() {
    ShardIndex s = this_shard();
    return s < views_.size() ? views_[s] : table_.snapshot();
}

void TopicController::set_view(std::shared_ptr<const TopicSnapshot> view) {
    views_[this_shard()] = std::move(view);
}

awaitable<void> TopicController::publish() {
    auto snap = table_.snapshot();
    int64_t partitions = 0;
    for (const auto& [name, info] : snap->topics()) partitions += info.partition_count;
    partition_count_.store(partitions, std::memory_order_relaxed);
    topic_count_.store(static_cast<int64_t>(snap->topics().size()), std::memory_order_relaxed);
    for (ShardIndex s = 0; s < shards_.size(); ++s) {
        co_await shards_.invoke_on(s, &TopicController::set_view, this, snap);
    }
}

awaitable<bool> TopicController::open_partitions(const TopicInfo& topic, int32_t from, int32_t to) {
    if (partitions_ == nullptr) co_return true;
    auto log_config = log_config_for(topic.configs, config_);
    auto settings = partition_settings_for(topic.configs, config_);
    bool ok = true;
    for (int32_t p = from; p < to; ++p) {
        ShardIndex s = shard_of(topic.name, p, shards_.size());
        std::error_code ec = co_await shards_.invoke_on(s, open_on_shard, &partitions_->on(s),
                                                        topic.name, p, log_config, settings);
        ok = ok && !ec;
    }
    co_return ok;
}

awaitable<bool> TopicController::remove_partitions(std::string topic, int32_t count) {
    if (partitions_ == nullptr) co_return true;
    bool ok = true;
    for (int32_t p = 0; p < count; ++p) {
        ShardIndex s = shard_of(topic, p, shards_.size());
        std::error_code ec =
            co_await shards_.invoke_on(s, remove_on_shard, &partitions_->on(s), topic, p);
        ok = ok && !ec;
    }
    co_return ok;
}

awaitable<TopicOpStatus> TopicController::create_topic(CreateTopicArgs args, TopicInfo* created) {
    co_return co_await shards_.invoke_on(kControllerShard, &TopicController::create_here, this,
                                         std::move(args), created);
}

awaitable<TopicOpStatus> TopicController::delete_topic(std::string name) {
    co_return co_await shards_.invoke_on(kControllerShard, &TopicController::delete_here, this,
                                         std::move(name));
}

awaitable<TopicOpStatus> TopicController::create_partitions(std::string name, int32_t total,
                                                            bool validate_only) {
    co_return co_await shards_.invoke_on(kControllerShard, &TopicController::grow_here, this,
                                         std::move(name), total, validate_only);
}

awaitable<TopicOpStatus> TopicController::replace_configs(std::string name, TopicConfigMap configs,
                                                          bool validate_only) {
    co_return co_await shards_.invoke_on(kControllerShard, &TopicController::set_configs_here, this,
                                         std::move(name), std::move(configs), validate_only);
}

awaitable<TopicOpStatus> TopicController::alter_configs(std::string name,
                                                        std::vector<ConfigChange> changes,
                                                        bool validate_only) {
    co_return co_await shards_.invoke_on(kControllerShard, &TopicController::alter_here, this,
                                         std::move(name), std::move(changes), validate_only);
}

awaitable<TopicOpStatus> TopicController::create_here(CreateTopicArgs args, TopicInfo* created) {
    if (auto why = check_topic_name(args.name); !why.empty()) {
        co_return fail(Errc::InvalidTopicName, why);
    }
    if (table_.find(args.name) != nullptr) {
        co_return fail(Errc::TopicAlreadyExists, "Topic '" + args.name + "' already exists.");
    }
    int32_t partitions = args.partitions.value_or(config_.num_partitions);
    if (partitions <= 0) {
        co_return fail(Errc::InvalidPartitions, "Number of partitions must be larger than 0.");
    }
    int16_t rf = args.replication_factor.value_or(config_.default_replication_factor);
    if (rf <= 0) {
        co_return fail(Errc::InvalidReplicationFactor, "Replication factor must be larger than 0.");
    }
    if (rf > 1) {
        co_return fail(Errc::InvalidReplicationFactor, "Replication factor: " + std::to_string(rf) +
                                                           " larger than available brokers: 1.");
    }
    if (auto why = validate_topic_configs(args.configs); !why.empty()) {
        co_return fail(Errc::InvalidConfig, why);
    }
    TopicInfo info{args.name, make_topic_id(), partitions, rf, std::move(args.configs)};
    if (created) *created = info;
    if (args.validate_only) co_return TopicOpStatus{};
    if (!table_.add(info)) co_return fail(Errc::TopicAlreadyExists, "");
    if (!table_.save()) {
        (void)table_.remove(info.name);
        co_return fail(Errc::PersistFailed, "Could not persist the topic table.");
    }
    cluster_log()->info("created topic {} with {} partitions", info.name, partitions);
    bool opened = co_await open_partitions(info, 0, partitions);
    co_await publish();
    if (!opened) co_return fail(Errc::PartitionSetupFailed, "Could not create every partition.");
    co_return TopicOpStatus{};
}

awaitable<TopicOpStatus> TopicController::delete_here(std::string name) {
    const TopicInfo* info = table_.find(name);
    if (info == nullptr) co_return fail(Errc::UnknownTopic, "");
    int32_t count = info->partition_count;
    TopicInfo removed = *info;
    (void)table_.remove(name);
    if (!table_.save()) {
        (void)table_.add(removed);
        co_return fail(Errc::PersistFailed, "Could not persist the topic table.");
    }
    co_await publish();  // stop serving the topic before its data goes away
    bool ok = co_await remove_partitions(name, count);
    cluster_log()->info("deleted topic {}", name);
    if (!ok) co_return fail(Errc::PartitionSetupFailed, "Could not remove every partition.");
    co_return TopicOpStatus{};
}

awaitable<TopicOpStatus> TopicController::grow_here(std::string name, int32_t total,
                                                    bool validate_only) {
    const TopicInfo* found = table_.find(name);
    if (found == nullptr) co_return fail(Errc::UnknownTopic, "");
    TopicInfo info = *found;
    if (total <= info.partition_count) {
        co_return fail(Errc::InvalidPartitions,
                       "Topic currently has " + std::to_string(info.partition_count) +
                           " partitions, which is higher than the requested " +
                           std::to_string(total) + ".");
    }
    if (validate_only) co_return TopicOpStatus{};
    int32_t before = info.partition_count;
    info.partition_count = total;
    (void)table_.update(info);
    if (!table_.save()) {
        info.partition_count = before;
        (void)table_.update(info);
        co_return fail(Errc::PersistFailed, "Could not persist the topic table.");
    }
    bool opened = co_await open_partitions(info, before, total);
    co_await publish();
    if (!opened) co_return fail(Errc::PartitionSetupFailed, "Could not create every partition.");
    co_return TopicOpStatus{};
}

awaitable<TopicOpStatus> TopicController::set_configs_here(std::string name, TopicConfigMap configs,
                                                           bool validate_only) {
    const TopicInfo* found = table_.find(name);
    if (found == nullptr) co_return fail(Errc::UnknownTopic, "");
    if (auto why = validate_topic_configs(configs); !why.empty()) {
        co_return fail(Errc::InvalidConfig, why);
    }
    if (validate_only) co_return TopicOpStatus{};
    TopicInfo info = *found;
    TopicInfo before = info;
    info.configs = std::move(configs);
    (void)table_.update(info);
    if (!table_.save()) {
        (void)table_.update(before);
        co_return fail(Errc::PersistFailed, "Could not persist the topic table.");
    }
    co_await publish();
    // Re-opening an open partition hands it the new log config and settings.
    bool applied = co_await open_partitions(info, 0, info.partition_count);
    if (!applied) {
        co_return fail(Errc::PartitionSetupFailed,
                       "The configs were saved but not every partition could take them.");
    }
    co_return TopicOpStatus{};
}

awaitable<TopicOpStatus> TopicController::alter_here(std::string name,
                                                     std::vector<ConfigChange> changes,
                                                     bool validate_only) {
    const TopicInfo* found = table_.find(name);
    if (found == nullptr) co_return fail(Errc::UnknownTopic, "");
    TopicConfigMap configs = found->configs;
    for (const auto& change : changes) {
        if (auto why = apply_config_change(configs, change, config_); !why.empty()) {
            co_return fail(Errc::InvalidConfig, why);
        }
    }
    co_return co_await set_configs_here(std::move(name), std::move(configs), validate_only);
}

}  // namespace broker::cluster
