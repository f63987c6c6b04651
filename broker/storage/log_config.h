#pragma once
// LogConfig: the settings of one partition log. Broker defaults use the `log.*` names; a topic
// may override each one (the names in brackets). The caller merges the overrides.

#include <cstdint>

#include "common/result.h"

namespace broker::storage {

struct LogConfig {
    // log.segment.bytes [segment.bytes]: roll to a new segment once the active one would
    // grow past this size.
    int64_t segment_bytes = 1024 * 1024 * 1024;
    // log.roll.ms [segment.ms]: roll once the active segment's first append is this old.
    int64_t segment_ms = 7LL * 24 * 60 * 60 * 1000;
    // log.retention.ms [retention.ms]: delete closed segments whose newest timestamp is older;
    // -1 keeps them forever.
    int64_t retention_ms = 7LL * 24 * 60 * 60 * 1000;
    // log.retention.bytes [retention.bytes]: delete the oldest closed segments while the log is
    // larger; -1 means no limit.
    int64_t retention_bytes = -1;
    // log.index.interval.bytes [index.interval.bytes]: bytes of batches between two entries of
    // the sparse offset and time indexes.
    int32_t index_interval_bytes = 4096;
    // log.flush.interval.messages [flush.messages]: flush after this many appended records;
    // the default leaves flushing to acks=all and to the OS. Applied by the caller.
    int64_t flush_messages = INT64_MAX;
    // log.flush.interval.ms [flush.ms]: flush when unflushed data is this old. Applied by the
    // caller's timer.
    int64_t flush_ms = INT64_MAX;
    // log.cleanup.policy [cleanup.policy]: "delete" applies retention.ms/bytes; "compact" keeps
    // the newest record per key in closed segments (log_compaction.h); both may be set.
    bool cleanup_delete = true;
    bool cleanup_compact = false;
    // [delete.retention.ms]: how long compaction keeps a tombstone (a record with a null value).
    int64_t delete_retention_ms = 24LL * 60 * 60 * 1000;
    // [min.compaction.lag.ms]: a closed segment is compacted only once its newest record is this
    // old.
    int64_t min_compaction_lag_ms = 0;
    // [min.cleanable.dirty.ratio]: compaction runs once the bytes appended to closed segments
    // since the last pass are at least this share of all closed bytes.
    double min_cleanable_dirty_ratio = 0.5;
};

// Checks ranges: segment_bytes in [14, 2^31), index_interval_bytes >= 0, segment_ms >= 1,
// retention values >= -1. Errors: storage Errc::InvalidConfig.
[[nodiscard]] common::Result<void> validate(const LogConfig& config);

}  // namespace broker::storage
