#pragma once
// The magic-v2 record batch header: parsing, validation (lengths, magic, CRC32C, record count),
// attribute accessors, and in-place rewrites of the fields that lie outside the CRC.
// Batches are stored and served byte-for-byte as producers sent them; nothing here re-encodes one.

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/protocol/records/codec.h"
#include "common/result.h"

namespace common::records {

// Byte positions of the header fields (big-endian).
inline constexpr size_t kBaseOffsetPos = 0;
inline constexpr size_t kBatchLengthPos = 8;
inline constexpr size_t kPartitionLeaderEpochPos = 12;
inline constexpr size_t kMagicPos = 16;
inline constexpr size_t kCrcPos = 17;
inline constexpr size_t kAttributesPos = 21;  // the CRC covers attributes .. end of batch
inline constexpr size_t kLastOffsetDeltaPos = 23;
inline constexpr size_t kBaseTimestampPos = 27;
inline constexpr size_t kMaxTimestampPos = 35;
inline constexpr size_t kProducerIdPos = 43;
inline constexpr size_t kProducerEpochPos = 51;
inline constexpr size_t kBaseSequencePos = 53;
inline constexpr size_t kRecordsCountPos = 57;
inline constexpr size_t kBatchHeaderSize = 61;
// base_offset + batch_length: the bytes not counted by batch_length.
inline constexpr size_t kLogOverhead = 12;
inline constexpr int8_t kMagicV2 = 2;

// Attribute bits.
inline constexpr int16_t kCodecMask = 0x07;
inline constexpr int16_t kTimestampTypeBit = 0x08;
inline constexpr int16_t kTransactionalBit = 0x10;
inline constexpr int16_t kControlBit = 0x20;
inline constexpr int16_t kDeleteHorizonBit = 0x40;

enum class TimestampType : uint8_t { CreateTime = 0, LogAppendTime = 1 };

// A decoded copy of the 61-byte header. Plain value; holds no reference to the batch bytes.
struct RecordBatchHeader {
    int64_t base_offset = 0;
    int32_t batch_length = 0;
    int32_t partition_leader_epoch = -1;
    int8_t magic = kMagicV2;
    uint32_t crc = 0;
    int16_t attributes = 0;
    int32_t last_offset_delta = 0;
    int64_t base_timestamp = -1;
    int64_t max_timestamp = -1;
    int64_t producer_id = -1;
    int16_t producer_epoch = -1;
    int32_t base_sequence = -1;
    int32_t records_count = 0;

    Codec compression() const { return static_cast<Codec>(attributes & kCodecMask); }
    TimestampType timestamp_type() const {
        return (attributes & kTimestampTypeBit) ? TimestampType::LogAppendTime
                                                : TimestampType::CreateTime;
    }
    bool is_transactional() const { return (attributes & kTransactionalBit) != 0; }
    bool is_control() const { return (attributes & kControlBit) != 0; }
    bool has_delete_horizon() const { return (attributes & kDeleteHorizonBit) != 0; }
    // Whole batch size in bytes, including base_offset and batch_length.
    size_t size_bytes() const { return kLogOverhead + static_cast<size_t>(batch_length); }
    int64_t last_offset() const { return base_offset + last_offset_delta; }
    // The sequence of the last record, wrapping as Kafka does; -1 when there is none.
    int32_t last_sequence() const;
};

// Decodes the header at the start of `bytes`. Errors: Truncated (fewer than 61 bytes),
// Unsupported (magic other than 2), Malformed (batch_length smaller than a header).
// Does not check the CRC nor that the whole batch is present: see validate_batch.
[[nodiscard]] Result<RecordBatchHeader> parse_batch_header(std::span<const uint8_t> bytes);

// Full check of one batch that must span `batch` exactly: header parse, length consistency
// (Malformed), known codec (Unsupported), CRC32C over attributes..end (CorruptData) and a
// sane record count (Malformed). Returns the parsed header.
[[nodiscard]] Result<RecordBatchHeader> validate_batch(std::span<const uint8_t> batch);

// CRC32C of a batch's bytes from attributes to the end (what the crc field must hold).
// Requires batch.size() >= kBatchHeaderSize.
uint32_t compute_batch_crc(std::span<const uint8_t> batch);

// In-place rewrites of fields outside the CRC: the batch stays valid without re-encoding.
// Errors: Truncated when the span is shorter than the header.
[[nodiscard]] Result<void> set_base_offset(std::span<uint8_t> batch, int64_t base_offset);
[[nodiscard]] Result<void> set_partition_leader_epoch(std::span<uint8_t> batch, int32_t epoch);

// Stamps a batch with the broker's append time (topics with message.timestamp.type=LogAppendTime):
// sets the timestamp-type attribute and max_timestamp, then refreshes the CRC. Records are not
// re-encoded. Errors: Truncated when the span is shorter than the header.
[[nodiscard]] Result<void> set_log_append_time(std::span<uint8_t> batch, int64_t timestamp);

// Recomputes and stores the CRC after a change to CRC-covered bytes.
// Errors: Truncated when the span is shorter than the header.
[[nodiscard]] Result<void> update_batch_crc(std::span<uint8_t> batch);

}  // namespace common::records
