#include "broker/storage/log_config.h"

#include "broker/storage/errc.h"

namespace broker::storage {

common::Result<void> validate(const LogConfig& config) {
    bool ok = config.segment_bytes >= 14 && config.segment_bytes <= INT32_MAX &&
              config.segment_ms >= 1 && config.retention_ms >= -1 && config.retention_bytes >= -1 &&
              config.index_interval_bytes >= 0 && config.flush_messages >= 1 &&
              config.flush_ms >= 0 && config.delete_retention_ms >= 0 &&
              config.min_compaction_lag_ms >= 0 && config.min_cleanable_dirty_ratio >= 0 &&
              config.min_cleanable_dirty_ratio <= 1;
    if (!ok) return Errc::InvalidConfig;
    return common::ok();
}

}  // namespace broker::storage
