#pragma once
// GroupConfig: the broker settings the group coordinator follows (Kafka's group.* and offsets.*
// names). Plain data, copied into each coordinator.

#include <cstdint>
#include <limits>

namespace broker::server::groups {

struct GroupConfig {
    int32_t initial_rebalance_delay_ms = 3000;               // group.initial.rebalance.delay.ms
    int32_t min_session_timeout_ms = 6000;                   // group.min.session.timeout.ms
    int32_t max_session_timeout_ms = 1800000;                // group.max.session.timeout.ms
    int32_t max_size = std::numeric_limits<int32_t>::max();  // group.max.size
    int64_t offsets_retention_ms = 604800000;                // offsets.retention.minutes
    int64_t offsets_retention_check_interval_ms = 600000;    // offsets.retention.check.interval.ms
    int32_t offset_metadata_max_bytes = 4096;                // offset.metadata.max.bytes
};

}  // namespace broker::server::groups
