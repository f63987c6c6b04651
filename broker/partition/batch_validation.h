#pragma once
// Checks the records of one partition in a Produce request before anything touches the log:
// exactly one magic-v2 batch, CRC32C, size against max.message.bytes, consistent record count,
// no control batches from clients, no transactional batches (no transaction coordinator yet).
// Pure functions over borrowed bytes.

#include <cstdint>
#include <span>

#include "common/protocol/records/record_batch.h"
#include "common/result.h"

namespace broker::partition {

// Validates `records` (the bytes of one partition in a Produce request) and returns the header
// of its single batch. Errors (broker::partition::Errc): CorruptMessage,
// UnsupportedMessageFormat, MessageTooLarge, InvalidRecord, TransactionsUnsupported.
[[nodiscard]] common::Result<common::records::RecordBatchHeader> validate_produce_batch(
    std::span<const uint8_t> records, int32_t max_message_bytes);

}  // namespace broker::partition
