#include "broker/app/broker.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <optional>
#include <random>

#include "broker/admin/admin_server.h"
#include "broker/admin/group_lag.h"
#include "broker/admin/group_lag_collector.h"
#include "broker/cluster/broker_registrar.h"
#include "broker/cluster/cluster_id_follower.h"
#include "broker/cluster/cluster_identity.h"
#include "broker/cluster/cluster_view.h"
#include "broker/cluster/controller_quorum.h"
#include "broker/cluster/controller_service.h"
#include "broker/cluster/quorum_join.h"
#include "broker/cluster/quorum_topics.h"
#include "broker/cluster/raft_peers.h"
#include "broker/cluster/replica_manager.h"
#include "broker/cluster/shard_set.h"
#include "broker/cluster/topic_command_service.h"
#include "broker/cluster/topic_config.h"
#include "broker/cluster/topic_controller.h"
#include "broker/cluster/topic_forwarder.h"
#include "broker/cluster/topic_info.h"
#include "broker/net/tcp_server.h"
#include "broker/partition/partition_manager.h"
#include "broker/partition/storage_log_store.h"
#include "broker/raft/raft_runtime.h"
#include "broker/server/dispatcher.h"
#include "broker/server/groups/consumer_offsets_store.h"
#include "broker/server/groups/coordinator_leadership.h"
#include "broker/server/groups/group_coordinator.h"
#include "broker/server/handlers/registry.h"
#include "broker/storage/log_manager.h"
#include "broker/storage/posix_file_io.h"
#include "common/errc.h"
#include "common/log.h"

namespace broker::app {

struct Broker::Parts {
    explicit Parts(config::BrokerConfig c)
        : config(std::move(c)),
          shards(static_cast<cluster::ShardIndex>(config.shards)),
          metrics(shards.size()),
          partitions(shards.size()),
          topics(config, shards, &partitions),
          groups(shards.size()) {}

    config::BrokerConfig config;
    cluster::ShardSet shards;
    net::Metrics metrics;
    storage::PosixFileIo file_io;
    std::unique_ptr<storage::LogManager> logs;
    cluster::Sharded<partition::PartitionManager> partitions;
    cluster::TopicController topics;
    cluster::Sharded<server::groups::GroupCoordinator> groups;
    std::unique_ptr<server::Dispatcher> dispatcher;
    cluster::MetaProperties meta;  // as found or created at start (never changed after)
    bool meta_adoptable = false;   // made by this start without cluster.id: written once settled
    // One server per Kafka listener (config.kafka_listeners()); kafka_port is the first's.
    std::vector<std::unique_ptr<net::TcpServer>> kafka;
    std::unique_ptr<admin::AdminServer> admin;
    // Clustered mode (controller.quorum.voters set, a voter or a broker-only node): the Raft
    // groups' home and the metadata quorum, both on shard 0. Topics are still served by `topics`
    // until brokers register with the quorum and partitions replicate.
    std::unique_ptr<raft::RaftRuntime> raft;
    // Clustered mode (shard 0): names the broker-only nodes' Raft listeners to the host as they
    // register (declared before the quorum: outlives its cache).
    std::unique_ptr<cluster::RaftPeerDirectory> raft_peers;
    // Clustered mode (shard 0): checks meta.properties against the quorum's cluster id and
    // starts the registrar once they agree (declared before the quorum: outlives its cache).
    std::unique_ptr<cluster::ClusterIdFollower> cluster_id_follower;
    std::unique_ptr<cluster::ControllerQuorum> quorum;
    // Clustered mode, broker-only nodes (shard 0): asks the active controller to add this node
    // to the quorum as a learner until it follows the metadata log.
    std::unique_ptr<cluster::QuorumJoiner> joiner;
    // Clustered mode: the Topics clients change and read (through the quorum); `topics` then
    // holds nothing (a local __consumer_offsets left from before is dropped at start).
    std::unique_ptr<cluster::QuorumTopics> quorum_topics;
    // Clustered mode (shard 0): topic changes run on the active controller, forwarded there
    // from this broker (topic_forwarder) and served for the other brokers (topic_service).
    std::unique_ptr<cluster::TopicForwarder> topic_forwarder;
    std::unique_ptr<cluster::TopicCommandService> topic_service;
    // Clustered mode (shard 0): the active controller's heartbeat service and this broker's
    // registration and heartbeats (destroyed before the quorum).
    std::unique_ptr<cluster::ControllerService> controller_service;
    std::unique_ptr<cluster::BrokerRegistrar> registrar;
    cluster::Uuid incarnation_id{};  // the registrar's: new per process start
    // Clustered mode: this broker's replicas of Raft-replicated partitions (shard 0).
    std::unique_ptr<cluster::ReplicaManager> replicas;
    // Clustered mode (shard 0): loads and unloads groups as this broker's leaderships of
    // __consumer_offsets partitions come and go.
    std::unique_ptr<server::groups::CoordinatorLeadership> coordinator_leadership;
    std::unique_ptr<admin::GroupLagCollector> group_lag;  // feeds the admin API's groups and lag
    uint16_t kafka_port = 0;
    uint16_t admin_port = 0;
    bool started = false;
    std::atomic<bool> ready{false};  // every listener bound and startup loading done
    // run()'s result after a stop: 2 when the cluster id or the stored voters are refused
    std::atomic<int> exit_code{0};
};

namespace {
// Logs the listeners that are configured but not served: SSL/SASL ones (not yet) and the
// controller's (left to the quorum).
void log_unserved_listeners(const config::BrokerConfig& config) {
    auto log = common::log::get("broker");
    for (const auto& l : config.listeners) {
        auto protocol = config.security_protocol(l.name);
        if (config.is_controller_listener(l.name)) {
            log->info("listener {} ({}:{}) is the controller listener; not served to Kafka clients",
                      l.name, l.host, l.port);
        } else if (protocol != config::kPlaintext) {
            log->warn("listener {} ({}:{}) uses {}, which is not served yet; skipping it", l.name,
                      l.host, l.port, protocol);
        }
    }
}

int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Topics and partitions the admin API counts: the cluster's in clustered mode (`quorum` set).
int64_t topic_count(cluster::ControllerQuorum* quorum, const cluster::TopicController& local) {
    if (quorum == nullptr) return local.topic_count();
    auto topics = quorum->cache().topic_snapshot();
    return static_cast<int64_t>(topics->topics().size());
}

int64_t partition_count(cluster::ControllerQuorum* quorum, const cluster::TopicController& local) {
    if (quorum == nullptr) return local.partition_count();
    auto topics = quorum->cache().topic_snapshot();
    int64_t count = 0;
    for (const auto& [name, t] : topics->topics()) count += t.partition_count;
    return count;
}

// Clustered mode: the local topic controller holds no topics. Topics a single node left in
// log.dirs would clash with the replicated partitions, so they stop the start.
common::Result<void> check_local_topics(cluster::TopicController& local,
                                        const config::BrokerConfig& config) {
    auto topics = local.snapshot();
    for (const auto& [name, t] : topics->topics()) {
        common::log::get("broker")->error(
            "log.dirs {} holds topic {} of a single-node broker; clustered mode "
            "(controller.quorum.voters) needs log.dirs without single-node topics",
            config.log_dir, name);
        return common::Errc::InvalidArgument;
    }
    return common::ok();
}

// Runs on the coordinator's shard: loads one __consumer_offsets partition it owns.
common::awaitable<std::error_code> load_groups(server::groups::GroupCoordinator* coordinator,
                                               int32_t partition) {
    auto loaded = co_await coordinator->load(partition);
    co_return loaded ? std::error_code{} : loaded.error();
}

// Runs on the coordinator's shard.
common::awaitable<void> start_groups(server::groups::GroupCoordinator* coordinator, bool start) {
    if (start) {
        coordinator->start();
    } else {
        coordinator->stop();
    }
    co_return;
}

// Runs on shard 0.
common::awaitable<void> start_leadership(server::groups::CoordinatorLeadership* leadership,
                                         bool start) {
    if (start) {
        leadership->start();
    } else {
        leadership->stop();
    }
    co_return;
}

// Runs on shard 0: the replicas follow the cluster metadata from now on.
common::awaitable<void> start_replicas(cluster::ReplicaManager* replicas,
                                       cluster::MetadataCache* cache) {
    replicas->start(*cache);
    co_return;
}

// The partition count of __consumer_offsets as `topics` has it (0 when it does not exist).
int32_t offsets_partition_count(const cluster::TopicSnapshot& topics) {
    const auto* offsets = topics.find(cluster::kConsumerOffsetsTopic);
    return offsets ? offsets->partition_count : 0;
}

// Clustered mode: the partition count of the cluster's __consumer_offsets, read when called.
std::function<int32_t()> cluster_offsets_partition_count(cluster::MetadataCache* cache) {
    return [cache] { return offsets_partition_count(*cache->topic_snapshot()); };
}

// One group coordinator per shard over that shard's __consumer_offsets store, running its
// timers. A single node loads the partitions each shard owns before clients are served;
// `offsets_partitions` is the existing topic's partition count (a later change of
// offsets.topic.num.partitions must not move groups). Clustered (`cluster` set), the
// coordinator of shard 0 serves every group and CoordinatorLeadership loads what it leads.
common::Result<void> open_groups(const config::BrokerConfig& config, int32_t offsets_partitions,
                                 cluster::MetadataCache* cluster, cluster::ShardSet& shards,
                                 cluster::Sharded<partition::PartitionManager>& partitions,
                                 cluster::Sharded<server::groups::GroupCoordinator>& groups) {
    server::groups::GroupConfig gc;
    gc.initial_rebalance_delay_ms = config.group_initial_rebalance_delay_ms;
    gc.min_session_timeout_ms = config.group_min_session_timeout_ms;
    gc.max_session_timeout_ms = config.group_max_session_timeout_ms;
    gc.max_size = config.group_max_size;
    gc.offsets_retention_ms = config.offsets_retention_ms;
    gc.offsets_retention_check_interval_ms = config.offsets_retention_check_interval_ms;
    server::groups::ConsumerOffsetsStore::PartitionCount partition_count = [offsets_partitions] {
        return offsets_partitions;
    };
    if (cluster != nullptr) {
        partition_count = cluster_offsets_partition_count(cluster);
        offsets_partitions = 0;  // nothing to load before serving
    }
    std::random_device seed;
    for (cluster::ShardIndex s = 0; s < shards.size(); ++s) {
        groups.set(s, std::make_unique<server::groups::GroupCoordinator>(
                          shards.context(s).get_executor(),
                          server::groups::make_group_store(&partitions.on(s), partition_count,
                                                           config.min_insync_replicas),
                          gc, wall_clock_ms, (uint64_t{seed()} << 32) | seed()));
    }
    for (int32_t p = 0; p < offsets_partitions; ++p) {
        const auto s = cluster::shard_of(server::groups::kOffsetsTopic, p, shards.size());
        auto loaded = common::asio::co_spawn(shards.context(s), load_groups(&groups.on(s), p),
                                             common::asio::use_future)
                          .get();
        if (loaded) return loaded;
    }
    for (cluster::ShardIndex s = 0; s < shards.size(); ++s) {
        common::asio::co_spawn(shards.context(s), start_groups(&groups.on(s), true),
                               common::asio::use_future)
            .get();
    }
    return common::ok();
}

// Runs on the manager's shard: flush and close every partition (producer snapshots included).
// Runs on shard 0: heartbeats stop (sent and served) before the quorum goes.
common::awaitable<void> stop_registration(cluster::BrokerRegistrar* registrar,
                                          cluster::ControllerService* service) {
    registrar->stop();
    service->stop();
    co_return;
}

// Runs on shard 0: a broker-only node stops asking to join the quorum.
common::awaitable<void> stop_joiner(cluster::QuorumJoiner* joiner) {
    joiner->stop();
    co_return;
}

// Runs on shard 0: forwarded topic commands are no longer served.
common::awaitable<void> stop_topic_service(cluster::TopicCommandService* service) {
    service->stop();
    co_return;
}

// This broker's heartbeat settings: a new incarnation per process start, its client listeners and
// its Raft listener (how broker-only nodes are reached).
cluster::BrokerRegistrarOptions registrar_options(const config::BrokerConfig& config,
                                                  const raft::RaftRuntime& raft) {
    auto request = cluster::registration_for(config, cluster::make_topic_id());
    if (auto endpoint = cluster::raft_endpoint_for(config, raft.port())) {
        request.endpoints.push_back(*endpoint);
    }
    cluster::BrokerRegistrarOptions options;
    options.node_id = config.node_id;
    options.incarnation_id = request.incarnation_id;
    options.rack = request.rack;
    options.endpoints = request.endpoints;
    options.interval = std::chrono::milliseconds(config.broker_heartbeat_interval_ms);
    options.timeout = std::chrono::milliseconds(
        std::min(config.broker_session_timeout_ms, 2 * config.broker_heartbeat_interval_ms));
    return options;
}

// The controller group's founding membership as this node starts it: the voters on a voter;
// nothing on a broker-only node, which joins as a learner when the active controller adds it.
raft::Membership quorum_founders(const raft::RaftRuntime& raft) {
    return raft.is_voter() ? raft.controller_voters() : raft::Membership{};
}

// Runs on shard 0: the quorum leaves its group and the Raft host closes its connections.
common::awaitable<void> stop_quorum(cluster::ControllerQuorum* quorum, raft::RaftRuntime* runtime) {
    quorum->stop();
    runtime->host().stop();
    co_return;
}

// Runs on shard 0: the replicated partitions flush their logs and leave their Raft groups.
common::awaitable<void> stop_replicas(cluster::ReplicaManager* replicas) {
    replicas->stop();
    co_return;
}

common::awaitable<void> close_partitions(partition::PartitionManager* manager) {
    if (auto closed = manager->close_all(); !closed) {
        common::log::get("broker")->error("closing partitions failed: {}",
                                          closed.error().message());
    }
    co_return;
}

// Runs on the manager's shard until the shard stops: retention every `interval_ms`.
common::awaitable<void> retention_loop(partition::PartitionManager* manager, int64_t interval_ms) {
    common::asio::steady_timer timer(co_await common::asio::this_coro::executor);
    while (true) {
        timer.expires_after(std::chrono::milliseconds(interval_ms));
        boost::system::error_code ec;
        co_await timer.async_wait(common::asio::redirect_error(common::use_awaitable, ec));
        if (ec) co_return;
        auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch());
        manager->run_retention(now.count());
    }
}
}  // namespace

Broker::Broker(config::BrokerConfig config) : parts_(std::make_unique<Parts>(std::move(config))) {}

Broker::~Broker() {
    stop();
}

uint16_t Broker::kafka_port() const {
    return parts_->kafka_port;
}
uint16_t Broker::admin_port() const {
    return parts_->admin_port;
}

namespace {
// Waits until the broker may serve clients, logging every 10 s while it waits. Returns the
// signal (one of `signals`, which the caller blocked) that came first, if one did.
std::optional<int> wait_until_serving(const Broker& broker, const sigset_t& signals) {
    auto log = common::log::get("broker");
    constexpr auto kPoll = std::chrono::milliseconds(50);
    constexpr auto kReport = std::chrono::seconds(10);
    auto next_report = std::chrono::steady_clock::now();
    timespec timeout{0, 0};  // a signal that came during start() goes first
    while (true) {
        int signal = sigtimedwait(&signals, nullptr, &timeout);
        if (signal > 0) return signal;
        if (broker.may_serve()) return std::nullopt;
        if (std::chrono::steady_clock::now() >= next_report) {
            log->info(
                "waiting to be registered and unfenced by the controller before serving "
                "clients");
            next_report += kReport;
        }
        timeout = timespec{0, std::chrono::nanoseconds(kPoll).count()};
    }
}
}  // namespace

// Clustered mode, before shard 0 runs: the broker-only nodes' Raft listeners become peers of
// this node's Raft host as their registrations arrive in the metadata log; a broker-only node
// asks the active controller to add it to the quorum as a learner (docs/raft.md).
void Broker::start_raft_membership(Parts& p) {
    auto endpoint = cluster::raft_endpoint_for(p.config, p.raft->port());
    if (!endpoint) return;
    p.raft_peers = std::make_unique<cluster::RaftPeerDirectory>(p.raft->host(), endpoint->name,
                                                                p.raft->controller_voters());
    p.quorum->cache().on_update([peers = p.raft_peers.get()](const cluster::MetadataState& state) {
        peers->observe(state);
    });
    p.raft_peers->observe(*p.quorum->cache().current());
    if (p.raft->is_voter()) return;
    cluster::QuorumJoinerOptions options;
    options.request = {p.config.node_id, endpoint->host, endpoint->port};
    for (raft::NodeId voter : p.raft->controller_voters().voters) {
        options.voters.push_back(voter.value());
    }
    p.joiner = std::make_unique<cluster::QuorumJoiner>(p.shards.context(0), p.raft->host(),
                                                       *p.quorum, std::move(options));
    p.joiner->start();
}

// Clustered mode, before shard 0 runs: serve heartbeats as the controller (when leading) and
// heartbeat the controller leader; /v1/cluster shows the metadata cache.
void Broker::start_registration(Parts& p) {
    cluster::ControllerServiceOptions service_options;
    service_options.session_timeout = std::chrono::milliseconds(p.config.broker_session_timeout_ms);
    service_options.check_interval =
        std::chrono::milliseconds(std::clamp(p.config.broker_heartbeat_interval_ms / 2, 10, 500));
    p.controller_service = std::make_unique<cluster::ControllerService>(p.shards.context(0),
                                                                        *p.quorum, service_options);
    p.controller_service->start(p.raft->host());
    p.topic_service = std::make_unique<cluster::TopicCommandService>(*p.quorum, p.config);
    p.topic_service->start(p.raft->host());
    auto options = registrar_options(p.config, *p.raft);
    p.incarnation_id = options.incarnation_id;
    p.registrar = std::make_unique<cluster::BrokerRegistrar>(
        p.shards.context(0), p.raft->host(), *p.quorum, *p.controller_service, std::move(options));
    p.registrar->set_report_source(
        [replicas = p.replicas.get()] { return replicas->leader_reports(); });
    // Registration waits for the quorum's cluster id and this data directory's agreement.
    p.cluster_id_follower = std::make_unique<cluster::ClusterIdFollower>(
        p.config.log_dir, p.meta, p.meta_adoptable,
        [registrar = p.registrar.get()](const cluster::MetaProperties&) { registrar->start(); },
        [&p](const std::string& message) {
            common::log::get("broker")->error("{}", message);
            p.exit_code = 2;
            ::kill(::getpid(), SIGTERM);  // run() stops the broker and exits with 2
        });
    p.quorum->cache().on_update(
        [follower = p.cluster_id_follower.get()](const cluster::MetadataState& state) {
            follower->observe(state);
        });
    p.cluster_id_follower->observe(*p.quorum->cache().current());
    start_raft_membership(p);
    if (p.admin) {
        p.admin->set_cluster_source([cache = &p.quorum->cache(), registrar = p.registrar.get()] {
            return cluster::cluster_view_json(*cache->current(), registrar->controller_id());
        });
    }
}

// Clustered mode: the coordinator of shard 0 follows this broker's leaderships of
// __consumer_offsets partitions.
void Broker::follow_offsets_leaders(Parts& p) {
    constexpr auto kLeadershipCheckInterval = std::chrono::milliseconds(100);
    auto replica_of = [replicas = p.replicas.get(),
                       topic = std::string(cluster::kConsumerOffsetsTopic)](int32_t partition) {
        return replicas->replica(topic, partition);
    };
    auto leader_epoch = [replica_of](int32_t partition) -> std::optional<int32_t> {
        auto replica = replica_of(partition);
        if (!replica || !replica->leader_ready()) return std::nullopt;
        return replica->leader_epoch();
    };
    p.groups.on(0).set_led_here([replica_of](int32_t partition) {
        auto replica = replica_of(partition);
        return replica && replica->is_leader();
    });
    p.coordinator_leadership = std::make_unique<server::groups::CoordinatorLeadership>(
        p.shards.context(0).get_executor(), p.groups.on(0),
        cluster_offsets_partition_count(&p.quorum->cache()), std::move(leader_epoch),
        kLeadershipCheckInterval);
    common::asio::co_spawn(p.shards.context(0),
                           start_leadership(p.coordinator_leadership.get(), true),
                           common::asio::use_future)
        .get();
}

common::Result<void> Broker::start() {
    auto log = common::log::get("broker");
    Parts& p = *parts_;
    std::error_code ec;
    std::filesystem::create_directories(p.config.log_dir, ec);
    if (ec) {
        log->error("cannot create log.dirs {}: {}", p.config.log_dir, ec.message());
        return common::Errc::IoError;
    }
    std::string meta_error;
    // Clustered without cluster.id: a new meta.properties waits for the quorum's id.
    const bool write_new = p.config.controller_quorum_voters.empty() || p.config.cluster_id;
    auto meta =
        cluster::open_meta_properties(p.config.log_dir, p.config.node_id,
                                      p.config.cluster_id.value_or(""), &meta_error, write_new);
    if (!meta) {
        log->error("{}", meta_error);
        return meta.error();
    }
    p.meta = meta.value().meta;
    p.meta_adoptable = meta.value().created && !p.config.cluster_id;
    // The admin API first: probes get live at once and ready (200) when start() is done.
    if (p.config.admin_listener) {
        admin::AdminSources sources{&p.config,
                                    &p.metrics,
                                    [&p] { return topic_count(p.quorum.get(), p.topics); },
                                    [&p] { return partition_count(p.quorum.get(), p.topics); },
                                    [&p] {
                                        return cluster::served_cluster_id(
                                            p.quorum ? &p.quorum->cache() : nullptr,
                                            p.meta.cluster_id);
                                    },
                                    [&p] { return p.ready ? "" : std::string("starting up"); }};
        p.admin = std::make_unique<admin::AdminServer>(std::move(sources));
        p.group_lag = std::make_unique<admin::GroupLagCollector>(
            p.shards, p.partitions, [&p](cluster::ShardIndex s) { return p.groups.on(s).views(); });
        // Groups exist once start() has loaded them (p.ready); until then there are none.
        p.admin->set_group_source(
            [&p] { return p.ready ? p.group_lag->collect() : std::vector<admin::GroupLag>{}; });
        TRIBUTARY_TRY(admin_port, p.admin->listen(p.config.admin_listener->host,
                                                  p.config.admin_listener->port));
        p.admin_port = admin_port;
        p.admin->start();
        log->info("admin API on http://{}:{} (/v1/health, /v1/brokers, /metrics)",
                  p.config.admin_listener->host, p.admin_port);
    }
    auto defaults = cluster::log_config_for({}, p.config);
    auto logs = storage::LogManager::open(p.file_io, {p.config.log_dir}, defaults);
    if (!logs) {
        log->error("cannot open the logs in {}: {}", p.config.log_dir, logs.error().message());
        return logs.error();
    }
    p.logs = std::move(logs).value();
    for (cluster::ShardIndex s = 0; s < p.shards.size(); ++s) {
        p.partitions.set(s, std::make_unique<partition::PartitionManager>(
                                p.shards.context(s).get_executor(),
                                std::make_unique<partition::StorageLogStore>(p.logs.get())));
    }
    if (!p.config.controller_quorum_voters.empty()) {  // a voter or a broker-only node
        // Before shard 0 runs: the runtime and the quorum live on it from here on.
        auto runtime = raft::RaftRuntime::start(p.shards.context(0), p.config);
        if (!runtime) return runtime.error();  // RaftRuntime logged why
        p.raft = std::move(runtime).value();
        cluster::ControllerQuorumOptions options;
        options.node_id = p.config.node_id;
        options.dir = p.raft->group_dir(raft::kControllerGroup);
        options.settings = cluster::ControllerSettings::from(p.config);
        options.cluster_id = p.meta.cluster_id;
        p.quorum = std::make_unique<cluster::ControllerQuorum>(p.shards.context(0), p.raft->host(),
                                                               options);
        if (auto joined = p.quorum->start(quorum_founders(*p.raft)); !joined) {
            log->error("cannot start the controller quorum: {}", joined.error().message());
            return joined.error();
        }
        if (auto conflict =
                cluster::voter_set_conflict(p.quorum->membership(), p.raft->controller_voters());
            !conflict.empty()) {
            log->error("{}", conflict);
            p.exit_code = 2;
            return common::Errc::InvalidArgument;
        }
        log->info("controller quorum member {} on the Raft listener (port {})", p.config.node_id,
                  p.raft->port());
        cluster::ReplicaManagerOptions replica_options;
        replica_options.node_id = p.config.node_id;
        replica_options.balance_leaders = p.config.auto_leader_rebalance_enable;
        replica_options.leader_balance_interval =
            std::chrono::seconds(p.config.leader_imbalance_check_interval_seconds);
        replica_options.replica_lag_max = raft::Millis(p.config.replica_lag_time_max_ms);
        replica_options.group_dir = [runtime = p.raft.get()](raft::GroupId group) {
            return runtime->group_dir(group);
        };
        p.replicas = std::make_unique<cluster::ReplicaManager>(
            p.shards.context(0), p.raft->host(), p.partitions.on(0), p.config, replica_options);
        start_registration(p);
    }
    p.shards.start();
    p.started = true;
    if (auto loaded = p.topics.start(); !loaded) {
        log->error("cannot load topics from {}: {}", p.config.log_dir, loaded.error().message());
        return loaded.error();
    }
    if (p.quorum) {
        if (auto checked = check_local_topics(p.topics, p.config); !checked) return checked.error();
        // Once the local topics are settled: a replicated partition never meets a local one.
        common::asio::co_spawn(p.shards.context(0),
                               start_replicas(p.replicas.get(), &p.quorum->cache()),
                               common::asio::use_future)
            .get();
    }
    for (cluster::ShardIndex s = 0; s < p.shards.size(); ++s) {
        common::asio::co_spawn(
            p.shards.context(s),
            retention_loop(&p.partitions.on(s), p.config.log_retention_check_interval_ms),
            common::asio::detached);
    }
    const int32_t offsets_partitions = offsets_partition_count(*p.topics.snapshot());
    if (auto opened =
            open_groups(p.config, offsets_partitions, p.quorum ? &p.quorum->cache() : nullptr,
                        p.shards, p.partitions, p.groups);
        !opened) {
        log->error("cannot load consumer groups: {}", opened.error().message());
        return opened.error();
    }
    if (p.quorum) follow_offsets_leaders(p);
    server::Services services{&p.config,     &p.shards,         &p.topics,
                              &p.partitions, p.meta.cluster_id, &p.groups};
    if (p.quorum) {
        // Clustered: clients read metadata from the quorum's cache and change topics through
        // it; the controller is the quorum leader as the registrar last saw it (any shard).
        // Changes go to the active controller wherever it is (forwarded from here otherwise).
        cluster::TopicForwarderOptions forwarding;
        forwarding.node_id = p.config.node_id;
        p.topic_forwarder = std::make_unique<cluster::TopicForwarder>(p.raft->host(), *p.quorum,
                                                                      p.config, forwarding);
        p.quorum_topics = std::make_unique<cluster::QuorumTopics>(p.shards, 0, *p.quorum, p.config,
                                                                  p.topic_forwarder.get());
        services.topics = p.quorum_topics.get();
        services.metadata = &p.quorum->cache();
        services.controller_id = [registrar = p.registrar.get()] {
            return registrar->controller_id();
        };
    }
    p.dispatcher = std::make_unique<server::Dispatcher>(server::handlers::handler_table(), services,
                                                        &p.metrics);
    return common::ok();
}

bool Broker::may_serve() const {
    const Parts& p = *parts_;
    if (!p.quorum) return true;
    const auto state = p.quorum->cache().current();
    const auto& brokers = state->brokers();
    const auto self = brokers.find(p.config.node_id);
    // Registered by this process (the log replayed at start-up may hold an earlier one, still
    // unfenced until its session expires) and unfenced.
    return self != brokers.end() && self->second.incarnation_id == p.incarnation_id &&
           !self->second.fenced;
}

common::Result<void> Broker::serve() {
    auto log = common::log::get("broker");
    Parts& p = *parts_;
    log_unserved_listeners(p.config);
    for (const auto& l : p.config.kafka_listeners()) {
        net::ConnectionOptions options{p.config.socket_request_max_bytes, l.name};
        auto server = std::make_unique<net::TcpServer>(p.shards, *p.dispatcher, p.metrics, options);
        TRIBUTARY_TRY(port, server->listen(l.host, l.port));
        if (p.kafka.empty()) p.kafka_port = port;
        server->start();
        log->info("serving Kafka on listener {} at {}:{}", l.name, l.host, port);
        p.kafka.push_back(std::move(server));
    }
    p.ready = true;
    log->info(
        "broker {} of cluster {} running with {} shards, data in {}", p.config.node_id,
        cluster::served_cluster_id(p.quorum ? &p.quorum->cache() : nullptr, p.meta.cluster_id),
        p.shards.size(), p.config.log_dir);
    if (!p.kafka.empty()) {
        const auto& first = p.config.kafka_listeners().front();
        log->info("try: kcat -b {}:{} -L", first.host, p.kafka_port);
    } else {
        log->warn("no PLAINTEXT client listener is configured: nothing serves Kafka clients");
    }
    return common::ok();
}

void Broker::stop() {
    Parts& p = *parts_;
    if (!p.started) return;
    p.started = false;
    auto log = common::log::get("broker");
    log->info("stopping: closing listeners and connections");
    for (auto& server : p.kafka) server->stop();
    if (p.admin) p.admin->stop();
    if (p.coordinator_leadership) {
        common::asio::co_spawn(p.shards.context(0),
                               start_leadership(p.coordinator_leadership.get(), false),
                               common::asio::use_future)
            .get();
    }
    for (cluster::ShardIndex s = 0; s < p.shards.size(); ++s) {
        if (!p.groups.has(s)) continue;
        common::asio::co_spawn(p.shards.context(s), start_groups(&p.groups.on(s), false),
                               common::asio::use_future)
            .get();
    }
    if (p.replicas) {
        common::asio::co_spawn(p.shards.context(0), stop_replicas(p.replicas.get()),
                               common::asio::use_future)
            .get();
    }
    if (p.registrar) {
        if (p.admin) p.admin->set_cluster_source({});
        common::asio::co_spawn(p.shards.context(0),
                               stop_registration(p.registrar.get(), p.controller_service.get()),
                               common::asio::use_future)
            .get();
    }
    if (p.joiner) {
        common::asio::co_spawn(p.shards.context(0), stop_joiner(p.joiner.get()),
                               common::asio::use_future)
            .get();
    }
    if (p.topic_service) {
        common::asio::co_spawn(p.shards.context(0), stop_topic_service(p.topic_service.get()),
                               common::asio::use_future)
            .get();
    }
    if (p.quorum) {
        common::asio::co_spawn(p.shards.context(0), stop_quorum(p.quorum.get(), p.raft.get()),
                               common::asio::use_future)
            .get();
    }
    log->info("flushing and closing partitions");
    for (cluster::ShardIndex s = 0; s < p.shards.size(); ++s) {
        if (!p.partitions.has(s)) continue;
        auto closed = common::asio::co_spawn(
            p.shards.context(s), close_partitions(&p.partitions.on(s)), common::asio::use_future);
        closed.get();
    }
    p.shards.stop();
    p.shards.join();
    if (p.logs) {
        if (auto closed = p.logs->close(); !closed) {
            log->error("closing the logs failed: {}", closed.error().message());
        }
    }
    log->info("stopped");
}

int Broker::run() {
    // Block the signals in every thread (shards inherit the mask) and wait for them here.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    if (!start()) {
        stop();
        return parts_->exit_code != 0 ? parts_->exit_code.load() : 1;
    }
    auto log = common::log::get("broker");
    if (auto signal = wait_until_serving(*this, signals)) {
        log->info("received signal {} before serving clients", *signal);
        stop();
        return parts_->exit_code;
    }
    if (!serve()) {
        stop();
        return 1;
    }
    int received = 0;
    sigwait(&signals, &received);
    log->info("received signal {}", received);
    stop();
    return parts_->exit_code;
}

}  // namespace broker::app
