#pragma once
// Iterates the records of one validated v2 batch, decompressing its payload first when the batch
// is compressed. Records are views into the batch or into the iterator's decompressed buffer.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/protocol/records/record.h"
#include "common/protocol/records/record_batch.h"
#include "common/result.h"

namespace common::records {

// Borrows the batch bytes (which must outlive it) and owns the decompressed payload, if any.
// Records it returns stay valid while both live. Single-threaded; movable.
class RecordIterator {
  public:
    // Validates the batch (validate_batch) and decompresses it, producing at most
    // max_decompressed bytes (Errc::TooLarge beyond). Errors as validate_batch and decompress.
    [[nodiscard]] static Result<RecordIterator> open(std::span<const uint8_t> batch,
                                                     size_t max_decompressed);

    const RecordBatchHeader& header() const { return header_; }

    // The next record, or nullopt after exactly records_count records. Errors: Malformed when a
    // record is corrupt, when the payload ends before records_count records, when bytes remain
    // after them, or when offset deltas exceed last_offset_delta; Truncated as decode_record.
    [[nodiscard]] Result<std::optional<Record>> next();

    // The record's absolute offset and timestamp (LogAppendTime batches: the batch's
    // max_timestamp).
    int64_t offset_of(const Record& r) const;
    int64_t timestamp_of(const Record& r) const;

  private:
    RecordIterator(RecordBatchHeader header, std::span<const uint8_t> batch,
                   std::vector<uint8_t> decompressed)
        : header_(header), batch_(batch), decompressed_(std::move(decompressed)) {}
    std::span<const uint8_t> payload() const;

    RecordBatchHeader header_;
    std::span<const uint8_t> batch_;
    std::vector<uint8_t> decompressed_;
    size_t pos_ = 0;
    int32_t returned_ = 0;
};

// Decodes every record of a batch into owned copies; for tests and for small batches.
struct OwnedRecord {
    int64_t offset = 0;
    int64_t timestamp = 0;
    std::optional<std::vector<uint8_t>> key;
    std::optional<std::vector<uint8_t>> value;
    std::vector<std::pair<std::string, std::optional<std::vector<uint8_t>>>> headers;
};
[[nodiscard]] Result<std::vector<OwnedRecord>> read_all_records(std::span<const uint8_t> batch,
                                                                size_t max_decompressed);

}  // namespace common::records
