#pragma once
// BrokerConfig: the typed broker configuration, read from a Java-style properties file plus
// `--set key=value` overrides, with Kafka's property names and defaults
// (docs/broker-configuration.md lists every key). Immutable once the broker runs; shared
// read-only by every shard.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/config/cluster_settings.h"
#include "common/result.h"

namespace broker::config {

// One `listeners` entry, e.g. PLAINTEXT://127.0.0.1:9092.
struct Listener {
    std::string name;  // PLAINTEXT
    std::string host;  // 127.0.0.1
    uint16_t port = 0;
    bool operator==(const Listener&) const = default;
};

// Where a broker property's value came from (DescribeConfigs reports it).
enum class Source { Default, StaticFile };

// One property as the broker resolved it, for DescribeConfigs and the admin API.
struct Entry {
    std::string name;
    std::string value;
    Source source = Source::Default;
    bool read_only = true;
    bool sensitive = false;
};

struct BrokerConfig {
    int32_t node_id = 1;                         // node.id
    std::vector<Listener> listeners;             // listeners
    std::vector<Listener> advertised_listeners;  // advertised.listeners (default: listeners)
    std::string log_dir = "./data";              // log.dirs (first entry; one dir for now)
    int32_t num_partitions = 1;                  // num.partitions
    int16_t default_replication_factor = 1;      // default.replication.factor
    int32_t min_insync_replicas = 1;             // min.insync.replicas
    bool auto_create_topics_enable = true;       // auto.create.topics.enable
    int64_t log_segment_bytes = 1073741824;      // log.segment.bytes
    int64_t log_roll_ms = 604800000;             // log.roll.ms (or log.roll.hours, 168)
    int64_t log_retention_ms = 604800000;        // log.retention.ms (or .minutes/.hours, 168h)
    int64_t log_retention_bytes = -1;            // log.retention.bytes
    int64_t log_retention_check_interval_ms = 300000;       // log.retention.check.interval.ms
    int32_t message_max_bytes = 1048588;                    // message.max.bytes
    int32_t socket_request_max_bytes = 104857600;           // socket.request.max.bytes
    std::string compression_type = "producer";              // compression.type
    std::string log_cleanup_policy = "delete";              // log.cleanup.policy
    std::string log_message_timestamp_type = "CreateTime";  // log.message.timestamp.type
    int32_t offsets_topic_num_partitions = 50;              // offsets.topic.num.partitions
    int16_t offsets_topic_replication_factor = 3;  // offsets.topic.replication.factor (clustered)
    int64_t offsets_retention_ms = 604800000;      // offsets.retention.minutes (10080)
    int64_t offsets_retention_check_interval_ms = 600000;  // offsets.retention.check.interval.ms
    int32_t group_initial_rebalance_delay_ms = 3000;       // group.initial.rebalance.delay.ms
    int32_t group_min_session_timeout_ms = 6000;           // group.min.session.timeout.ms
    int32_t group_max_session_timeout_ms = 1800000;        // group.max.session.timeout.ms
    int32_t group_max_size = INT32_MAX;                    // group.max.size
    int32_t shards = 0;                                    // tributary.shards (0 = number of cores)
    std::optional<Listener> admin_listener;                // admin.listeners=http://127.0.0.1:9644
    std::string log_level = "info";                        // log.level
    // The cluster (cluster_settings.h): who the controllers are, this broker's rack and roles,
    // and what each listener is for.
    std::vector<QuorumVoter> controller_quorum_voters;  // controller.quorum.voters
    bool broker_role = true;                            // process.roles has broker
    bool controller_role = true;                        // process.roles has controller
    std::optional<std::string> broker_rack;             // broker.rack
    // cluster.id: the cluster a fresh data directory is formatted for (Kafka's format -t);
    // unset: a new random id, adopted from the controller quorum in clustered mode.
    std::optional<std::string> cluster_id;
    std::vector<std::string> controller_listener_names;  // controller.listener.names
    std::string inter_broker_listener_name;              // (default: PLAINTEXT, else the first)
    std::map<std::string, std::string> listener_security_protocol_map;  // NAME -> PROTOCOL
    int32_t broker_heartbeat_interval_ms = 2000;  // broker.heartbeat.interval.ms
    int32_t broker_session_timeout_ms = 9000;     // broker.session.timeout.ms
    // auto.leader.rebalance.enable, leader.imbalance.check.interval.seconds and
    // replica.lag.time.max.ms (clustered mode: preferred leaders and the ISR).
    bool auto_leader_rebalance_enable = true;
    int64_t leader_imbalance_check_interval_seconds = 300;
    int64_t replica_lag_time_max_ms = 10000;
    // tributary.partition.snapshot.interval.entries: Raft entries a partition group applies
    // between snapshots (0: never truncate); partition::kDefaultPartitionSnapshotInterval.
    int64_t partition_snapshot_interval_entries = 10000;

    // Every known property with its resolved value and source, sorted by name.
    std::vector<Entry> entries;

    // The advertised address of the first client listener (advertised.listeners, else the first
    // listener that is not a controller listener).
    const Listener& advertised() const;
    // The address clients are told for listener `name`: its advertised.listeners entry, else its
    // listeners entry; nullptr when neither has it.
    const Listener* advertised_for(std::string_view name) const;
    // The listener's security protocol (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL); "" if unknown.
    std::string security_protocol(std::string_view listener) const;
    bool is_controller_listener(std::string_view name) const;
    // The listeners that serve Kafka clients now: PLAINTEXT and not a controller listener.
    std::vector<Listener> kafka_listeners() const;
};

// Key -> raw value, in the order given (later wins).
using Properties = std::map<std::string, std::string>;

// Parses Java properties text: `key=value` or `key: value`, `#`/`!` comments, blank lines,
// backslash line continuation. Returns an error naming the line for a line without a key.
common::Result<Properties> parse_properties(const std::string& text, std::string* error);

// Builds and validates the config from properties. On failure returns an error and fills `error`
// with one line per bad key ("log.segment.bytes: expected an integer >= 14, got 'abc'").
// Unknown keys are logged as warnings (like Kafka) and otherwise ignored.
common::Result<BrokerConfig> build_config(const Properties& props, std::string* error);

// The whole start-up path: argv (--config FILE, --set k=v ...) -> validated config.
// `error` gets one clear message for the user.
common::Result<BrokerConfig> load_config(int argc, const char* const* argv, std::string* error);

}  // namespace broker::config
