#include "common/protocol/records/record_batch.h"

#include <limits>

#include "common/errc.h"
#include "common/protocol/records/big_endian.h"
#include "common/protocol/records/crc32c.h"

namespace common::records {
namespace {

// The smallest possible record: length, attributes, timestamp delta, offset delta, key length,
// value length and header count, each one byte.
constexpr int64_t kMinRecordSize = 7;

RecordBatchHeader decode_fields(const uint8_t* p) {
    RecordBatchHeader h;
    h.base_offset = be::load<int64_t>(p + kBaseOffsetPos);
    h.batch_length = be::load<int32_t>(p + kBatchLengthPos);
    h.partition_leader_epoch = be::load<int32_t>(p + kPartitionLeaderEpochPos);
    h.magic = be::load<int8_t>(p + kMagicPos);
    h.crc = be::load<uint32_t>(p + kCrcPos);
    h.attributes = be::load<int16_t>(p + kAttributesPos);
    h.last_offset_delta = be::load<int32_t>(p + kLastOffsetDeltaPos);
    h.base_timestamp = be::load<int64_t>(p + kBaseTimestampPos);
    h.max_timestamp = be::load<int64_t>(p + kMaxTimestampPos);
    h.producer_id = be::load<int64_t>(p + kProducerIdPos);
    h.producer_epoch = be::load<int16_t>(p + kProducerEpochPos);
    h.base_sequence = be::load<int32_t>(p + kBaseSequencePos);
    h.records_count = be::load<int32_t>(p + kRecordsCountPos);
    return h;
}

// Record count and offset deltas agree: compaction may drop records (count below
// last_offset_delta + 1) but never adds any; uncompressed records need a minimum of bytes each.
Result<void> check_record_count(const RecordBatchHeader& h) {
    if (h.records_count < 0 || h.last_offset_delta < 0) {
        return Errc::Malformed;
    }
    if (static_cast<int64_t>(h.records_count) > static_cast<int64_t>(h.last_offset_delta) + 1) {
        return Errc::Malformed;
    }
    const auto payload = static_cast<int64_t>(h.size_bytes() - kBatchHeaderSize);
    if (h.compression() == Codec::None && h.records_count * kMinRecordSize > payload) {
        return Errc::Malformed;
    }
    return ok();
}

}  // namespace

int32_t RecordBatchHeader::last_sequence() const {
    if (base_sequence < 0) {
        return -1;
    }
    constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
    if (base_sequence > kMax - last_offset_delta) {
        return last_offset_delta - (kMax - base_sequence) - 1;
    }
    return base_sequence + last_offset_delta;
}

Result<RecordBatchHeader> parse_batch_header(std::span<const uint8_t> bytes) {
    if (bytes.size() <= kMagicPos) {
        return Errc::Truncated;
    }
    if (static_cast<int8_t>(bytes[kMagicPos]) != kMagicV2) {
        return Errc::Unsupported;
    }
    if (bytes.size() < kBatchHeaderSize) {
        return Errc::Truncated;
    }
    RecordBatchHeader h = decode_fields(bytes.data());
    if (h.batch_length < static_cast<int32_t>(kBatchHeaderSize - kLogOverhead)) {
        return Errc::Malformed;
    }
    return h;
}

uint32_t compute_batch_crc(std::span<const uint8_t> batch) {
    return crc32c(batch.subspan(kAttributesPos));
}

Result<RecordBatchHeader> validate_batch(std::span<const uint8_t> batch) {
    TRIBUTARY_TRY(h, parse_batch_header(batch));
    if (h.size_bytes() != batch.size()) {
        return h.size_bytes() > batch.size() ? Errc::Truncated : Errc::Malformed;
    }
    if (!is_known_codec(h.compression())) {
        return Errc::Unsupported;
    }
    if (compute_batch_crc(batch) != h.crc) {
        return Errc::CorruptData;
    }
    TRIBUTARY_TRY(check_record_count(h));
    return h;
}

Result<void> set_base_offset(std::span<uint8_t> batch, int64_t base_offset) {
    if (batch.size() < kBatchHeaderSize) {
        return Errc::Truncated;
    }
    be::store<int64_t>(batch.data() + kBaseOffsetPos, base_offset);
    return ok();
}

Result<void> set_partition_leader_epoch(std::span<uint8_t> batch, int32_t epoch) {
    if (batch.size() < kBatchHeaderSize) {
        return Errc::Truncated;
    }
    be::store<int32_t>(batch.data() + kPartitionLeaderEpochPos, epoch);
    return ok();
}

Result<void> update_batch_crc(std::span<uint8_t> batch) {
    if (batch.size() < kBatchHeaderSize) {
        return Errc::Truncated;
    }
    be::store<uint32_t>(batch.data() + kCrcPos, compute_batch_crc(batch));
    return ok();
}

Result<void> set_log_append_time(std::span<uint8_t> batch, int64_t timestamp) {
    if (batch.size() < kBatchHeaderSize) {
        return Errc::Truncated;
    }
    const auto attributes = be::load<int16_t>(batch.data() + kAttributesPos);
    be::store<int16_t>(batch.data() + kAttributesPos,
                       static_cast<int16_t>(attributes | kTimestampTypeBit));
    be::store<int64_t>(batch.data() + kMaxTimestampPos, timestamp);
    return update_batch_crc(batch);
}

}  // namespace common::records
