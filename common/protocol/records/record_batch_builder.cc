#include "common/protocol/records/record_batch_builder.h"

#include <algorithm>
#include <limits>

#include "common/errc.h"
#include "common/protocol/records/big_endian.h"
#include "common/protocol/records/compression.h"
#include "common/protocol/records/varint.h"

namespace common::records {
namespace {

void put_sized(std::vector<uint8_t>& out, const std::optional<std::vector<uint8_t>>& bytes) {
    if (!bytes) {
        put_varint(out, -1);
        return;
    }
    put_varint(out, static_cast<int32_t>(bytes->size()));
    out.insert(out.end(), bytes->begin(), bytes->end());
}

int64_t wrapping_sub(int64_t a, int64_t b) {
    return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}

// Appends one record: its body first (to learn its length), then length + body.
void encode_record(std::vector<uint8_t>& out, const NewRecord& r, int32_t offset_delta,
                   int64_t base_timestamp) {
    std::vector<uint8_t> body;
    body.push_back(0);  // attributes: unused in v2
    put_varlong(body, wrapping_sub(r.timestamp, base_timestamp));
    put_varint(body, offset_delta);
    put_sized(body, r.key);
    put_sized(body, r.value);
    put_varint(body, static_cast<int32_t>(r.headers.size()));
    for (const auto& [key, value] : r.headers) {
        put_varint(body, static_cast<int32_t>(key.size()));
        body.insert(body.end(), key.begin(), key.end());
        put_sized(body, value);
    }
    put_varint(out, static_cast<int32_t>(body.size()));
    out.insert(out.end(), body.begin(), body.end());
}

// The offset delta of each record, checked to increase strictly from 0.
Result<std::vector<int32_t>> offset_deltas(const std::vector<NewRecord>& records) {
    std::vector<int32_t> deltas;
    int64_t previous = -1;
    for (size_t i = 0; i < records.size(); ++i) {
        const int64_t d = records[i].offset_delta.value_or(static_cast<int32_t>(i));
        if (d <= previous) {
            return Errc::InvalidArgument;
        }
        deltas.push_back(static_cast<int32_t>(d));
        previous = d;
    }
    return deltas;
}

int16_t attributes_of(const BatchOptions& o) {
    int v = static_cast<int>(o.codec) & kCodecMask;
    if (o.timestamp_type == TimestampType::LogAppendTime) v |= kTimestampTypeBit;
    if (o.transactional) v |= kTransactionalBit;
    if (o.control) v |= kControlBit;
    return static_cast<int16_t>(v);
}

void write_header(uint8_t* p, const RecordBatchHeader& h) {
    be::store<int64_t>(p + kBaseOffsetPos, h.base_offset);
    be::store<int32_t>(p + kBatchLengthPos, h.batch_length);
    be::store<int32_t>(p + kPartitionLeaderEpochPos, h.partition_leader_epoch);
    be::store<int8_t>(p + kMagicPos, h.magic);
    be::store<uint32_t>(p + kCrcPos, 0);
    be::store<int16_t>(p + kAttributesPos, h.attributes);
    be::store<int32_t>(p + kLastOffsetDeltaPos, h.last_offset_delta);
    be::store<int64_t>(p + kBaseTimestampPos, h.base_timestamp);
    be::store<int64_t>(p + kMaxTimestampPos, h.max_timestamp);
    be::store<int64_t>(p + kProducerIdPos, h.producer_id);
    be::store<int16_t>(p + kProducerEpochPos, h.producer_epoch);
    be::store<int32_t>(p + kBaseSequencePos, h.base_sequence);
    be::store<int32_t>(p + kRecordsCountPos, h.records_count);
}

}  // namespace

RecordBatchBuilder& RecordBatchBuilder::add(NewRecord record) {
    records_.push_back(std::move(record));
    return *this;
}

RecordBatchBuilder& RecordBatchBuilder::add(std::optional<std::string> key,
                                            std::optional<std::string> value, int64_t timestamp) {
    NewRecord r;
    if (key) r.key.emplace(key->begin(), key->end());
    if (value) r.value.emplace(value->begin(), value->end());
    r.timestamp = timestamp;
    return add(std::move(r));
}

Result<std::vector<uint8_t>> RecordBatchBuilder::build() const {
    TRIBUTARY_TRY(deltas, offset_deltas(records_));
    RecordBatchHeader h;
    h.base_offset = options_.base_offset;
    h.partition_leader_epoch = options_.partition_leader_epoch;
    h.attributes = attributes_of(options_);
    h.last_offset_delta = options_.last_offset_delta.value_or(deltas.empty() ? 0 : deltas.back());
    if (!deltas.empty() && h.last_offset_delta < deltas.back()) {
        return Errc::InvalidArgument;
    }
    int64_t max_ts = -1;
    for (const auto& r : records_) max_ts = std::max(max_ts, r.timestamp);
    h.base_timestamp = options_.base_timestamp.value_or(
        records_.empty() ? int64_t{-1} : records_.front().timestamp);
    h.max_timestamp = options_.max_timestamp.value_or(max_ts);
    h.producer_id = options_.producer_id;
    h.producer_epoch = options_.producer_epoch;
    h.base_sequence = options_.base_sequence;
    h.records_count = static_cast<int32_t>(records_.size());

    std::vector<uint8_t> payload;
    for (size_t i = 0; i < records_.size(); ++i) {
        encode_record(payload, records_[i], deltas[i], h.base_timestamp);
    }
    TRIBUTARY_TRY(body, compress(options_.codec, payload, options_.compression_level));
    if (body.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max()) - kBatchHeaderSize) {
        return Errc::TooLarge;
    }
    h.batch_length = static_cast<int32_t>(kBatchHeaderSize - kLogOverhead + body.size());

    std::vector<uint8_t> batch(kBatchHeaderSize);
    batch.insert(batch.end(), body.begin(), body.end());
    write_header(batch.data(), h);
    be::store<uint32_t>(batch.data() + kCrcPos, compute_batch_crc(batch));
    return batch;
}

}  // namespace common::records
