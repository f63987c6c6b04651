#pragma once
// Kafka's config resource types (DescribeConfigs, AlterConfigs, IncrementalAlterConfigs).

#include <cstdint>

namespace broker::server::handlers {

enum class ResourceType : int8_t { Unknown = 0, Topic = 2, Broker = 4, BrokerLogger = 8 };

}  // namespace broker::server::handlers
