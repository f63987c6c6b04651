#pragma once
// Checks the records of one partition in a Produce request before anything touches the log:
// exactly one magic-v2 batch, CRC32C, size against max.message.bytes, consistent record count,
// no control batches from clients, no transactional batches (no transaction coordinator yet);
// then the partition's message.timestamp.type is applied. Pure functions over borrowed bytes.

#include <cstdint>
#include <span>

#include "broker/partition/partition_types.h"
#include "broker/partition/producer_state.h"
#include "common/protocol/records/record_batch.h"
#include "common/result.h"

namespace broker::partition {

// Validates `records` (the bytes of one partition in a Produce request) and returns the header
// of its single batch. Errors (broker::partition::Errc): CorruptMessage,
// UnsupportedMessageFormat, MessageTooLarge, InvalidRecord, TransactionsUnsupported.
[[nodiscard]] common::Result<common::records::RecordBatchHeader> validate_produce_batch(
    std::span<const uint8_t> records, int32_t max_message_bytes);

// A produced batch as it will be stored.
struct AcceptedBatch {
    common::records::RecordBatchHeader header;  // after the timestamp type was applied
    int64_t log_append_time = -1;               // the Produce response's; -1: CreateTime
};

// What both Partition and ReplicatedPartition (on the leader, before proposing, so every replica
// stores the same bytes) do to a produced batch before it goes into the log: validate_produce_batch
// against settings.max_message_bytes, then, when settings.timestamp_type is LogAppendTime, stamp
// the batch in place with the append time `now_ms` (timestamp-type attribute, max_timestamp, CRC;
// the records, compressed or not, are left as they are: readers take every record's timestamp
// from max_timestamp). A CreateTime batch is left byte for byte. Errors: as validate_produce_batch.
[[nodiscard]] common::Result<AcceptedBatch> accept_produce_batch(std::span<uint8_t> records,
                                                                 const PartitionSettings& settings,
                                                                 int64_t now_ms);

// The answer to an idempotent retry of a batch already in the log as `original`: its first
// offset and, under LogAppendTime, the append time it was stored with (as Kafka answers).
ProduceResult duplicate_result(const CachedBatch& original, const PartitionSettings& settings,
                               int64_t log_start_offset);

}  // namespace broker::partition
