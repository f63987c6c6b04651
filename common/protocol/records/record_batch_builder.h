#pragma once
// Builds a valid magic-v2 record batch from records: any codec, producer id/epoch/sequence,
// transactional and control flags, CreateTime or LogAppendTime. Used by tests, compaction and
// transaction markers.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/protocol/records/codec.h"
#include "common/protocol/records/record_batch.h"
#include "common/result.h"

namespace common::records {

struct NewRecord {
    std::optional<std::vector<uint8_t>> key;
    std::optional<std::vector<uint8_t>> value;
    int64_t timestamp = -1;
    std::vector<std::pair<std::string, std::optional<std::vector<uint8_t>>>> headers;
    // The offset delta to write; by default the record's position in the batch. Compaction keeps
    // the original deltas; they must increase strictly.
    std::optional<int32_t> offset_delta;
};

struct BatchOptions {
    int64_t base_offset = 0;
    int32_t partition_leader_epoch = -1;
    Codec codec = Codec::None;
    std::optional<int> compression_level;
    TimestampType timestamp_type = TimestampType::CreateTime;
    int64_t producer_id = -1;
    int16_t producer_epoch = -1;
    int32_t base_sequence = -1;
    bool transactional = false;
    bool control = false;
    // Defaults: the last record's offset delta; the first record's timestamp; the largest record
    // timestamp (set max_timestamp to the append time for LogAppendTime).
    std::optional<int32_t> last_offset_delta;
    std::optional<int64_t> base_timestamp;
    std::optional<int64_t> max_timestamp;
};

// Accumulates records, then encodes them. Owns copies of everything added; single-threaded.
class RecordBatchBuilder {
  public:
    explicit RecordBatchBuilder(BatchOptions options) : options_(std::move(options)) {}

    RecordBatchBuilder& add(NewRecord record);
    // Convenience for the common case: a key, a value and a timestamp, no headers.
    RecordBatchBuilder& add(std::optional<std::string> key, std::optional<std::string> value,
                            int64_t timestamp);

    size_t record_count() const { return records_.size(); }

    // Encodes the batch. Errors: InvalidArgument (offset deltas not strictly increasing from 0 or
    // beyond last_offset_delta, bad compression level), TooLarge (over 2 GiB).
    [[nodiscard]] Result<std::vector<uint8_t>> build() const;

  private:
    BatchOptions options_;
    std::vector<NewRecord> records_;
};

}  // namespace common::records
