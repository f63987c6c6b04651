#pragma once
// Topic configs: the topic-level settings a topic may override (Kafka's names), their
// validation, and how each falls back to a broker setting or a built-in default.

#include <optional>
#include <string>
#include <vector>

#include "broker/cluster/topic_info.h"
#include "broker/cluster/topics.h"
#include "broker/config/broker_config.h"
#include "broker/partition/partition.h"
#include "broker/storage/log_config.h"

namespace broker::cluster {

// Where a resolved topic config value comes from (DescribeConfigs' config_source).
enum class ConfigSource { Default, StaticBroker, Topic };

struct ResolvedConfig {
    std::string name;
    std::string value;
    ConfigSource source = ConfigSource::Default;
    // The broker property this topic config falls back to ("" when none), and its value.
    std::string broker_name;
    std::string broker_value;
    bool broker_value_set = false;  // the broker property was set in the config file / --set
    std::string default_value;
    int8_t kafka_type =
        0;  // Kafka's ConfigType: 1 boolean, 2 string, 3 int, 5 long, 6 double, 7 list
};

// Checks every override: a known name and a valid value. Returns "" when all are fine, else
// one message naming the first bad key ("Unknown topic config name: x", "Invalid value ...").
std::string validate_topic_configs(const TopicConfigMap& configs);

// Every topic config with its effective value for a topic with `overrides`, sorted by name.
std::vector<ResolvedConfig> resolve_topic_configs(const TopicConfigMap& overrides,
                                                  const config::BrokerConfig& broker);

// True for configs whose value is a comma-separated list (APPEND/SUBTRACT apply to these).
bool is_list_config(const std::string& name);

// Applies one IncrementalAlterConfigs change to a topic's `overrides`: SET, DELETE, and for list
// configs APPEND / SUBTRACT on the effective value (the override, else the broker default; a list
// that becomes empty removes the override). Returns "" or Kafka's message for an InvalidConfig
// error. The one place for these rules (TopicController and QuorumTopics).
std::string apply_config_change(TopicConfigMap& overrides, const ConfigChange& change,
                                const config::BrokerConfig& broker);

// The settings a partition of this topic runs with (overrides merged over broker defaults).
storage::LogConfig log_config_for(const TopicConfigMap& overrides,
                                  const config::BrokerConfig& broker);
partition::PartitionSettings partition_settings_for(const TopicConfigMap& overrides,
                                                    const config::BrokerConfig& broker);

// How the broker creates __consumer_offsets, as Kafka does: offsets.topic.num.partitions
// partitions, compacted, 100 MiB segments (offsets.topic.segment.bytes), batches kept as the
// coordinator writes them; `replication_factor` replicas (1 on a single node).
CreateTopicArgs offsets_topic_args(const config::BrokerConfig& broker, int16_t replication_factor);

}  // namespace broker::cluster
