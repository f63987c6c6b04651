#pragma once
// Kafka's config_source values (DescribeConfigs v1+, CreateTopics v5+) for the cluster layer's
// ConfigSource.

#include <cstdint>

#include "broker/cluster/topic_config.h"

namespace broker::server::handlers {

enum class KafkaConfigSource : int8_t {
    Unknown = 0,
    DynamicTopicConfig = 1,
    DynamicBrokerConfig = 2,
    DynamicDefaultBrokerConfig = 3,
    StaticBrokerConfig = 4,
    DefaultConfig = 5,
};

inline int8_t to_kafka_source(cluster::ConfigSource source) {
    switch (source) {
        case cluster::ConfigSource::Topic:
            return static_cast<int8_t>(KafkaConfigSource::DynamicTopicConfig);
        case cluster::ConfigSource::StaticBroker:
            return static_cast<int8_t>(KafkaConfigSource::StaticBrokerConfig);
        case cluster::ConfigSource::Default:
            return static_cast<int8_t>(KafkaConfigSource::DefaultConfig);
    }
    return static_cast<int8_t>(KafkaConfigSource::Unknown);
}

}  // namespace broker::server::handlers
