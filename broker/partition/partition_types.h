#pragma once
// The values a partition's data path exchanges with its callers: settings, produce and fetch
// results, fetch wake-up hooks. Shared by Partition, ReplicatedPartition and the handlers.

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "common/protocol/records/record_batch.h"

namespace broker::partition {

struct PartitionSettings {
    int32_t max_message_bytes = 1048588;  // max.message.bytes
    // message.timestamp.type: LogAppendTime batches are stamped with the broker's clock on append.
    common::records::TimestampType timestamp_type = common::records::TimestampType::CreateTime;
};

struct ProduceResult {
    int64_t base_offset = -1;
    int64_t log_append_time = -1;  // -1: CreateTime
    int64_t log_start_offset = -1;
    bool duplicate = false;  // an idempotent retry answered with its original offsets
};

struct FetchData {
    int64_t high_watermark = -1;
    int64_t last_stable_offset = -1;
    int64_t log_start_offset = -1;
    std::vector<uint8_t> records;  // whole batches, byte-for-byte as stored
};

// A fetch request's wake-up hook, registered on the partitions it waits for.
struct FetchWaker {
    std::weak_ptr<void> alive;   // the waiting fetch; expired once it is done
    std::function<void()> wake;  // called at most once, on this partition's shard
};

}  // namespace broker::partition
