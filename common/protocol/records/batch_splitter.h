#pragma once
// Walks a buffer of concatenated record batches (a Produce request's records, a Fetch response's
// records, a log segment) by their length fields, yielding each batch's bytes.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/result.h"

namespace common::records {

// Borrows the buffer (which must outlive it); single-threaded. Checks framing only (that each
// batch's declared length fits); call validate_batch on each batch for content checks.
class BatchSplitter {
  public:
    explicit BatchSplitter(std::span<const uint8_t> buffer) : buffer_(buffer) {}

    // The next whole batch, or nullopt at the clean end of the buffer. Errors: Truncated when
    // the remaining bytes are a torn (partial) trailing batch; Malformed when a length field is
    // impossible (smaller than a batch header). After an error, next() keeps returning it.
    [[nodiscard]] Result<std::optional<std::span<const uint8_t>>> next();

    // Bytes taken by the whole batches returned so far: where a torn tail starts.
    size_t position() const { return position_; }

  private:
    std::span<const uint8_t> buffer_;
    size_t position_ = 0;
};

// All batches of `buffer`, plus how the buffer ends.
struct SplitBatches {
    std::vector<std::span<const uint8_t>> batches;
    size_t valid_bytes = 0;  // bytes covered by `batches`
    std::error_code tail;    // empty when the buffer ends exactly after the last batch
};

// Splits the whole buffer; never fails (a bad tail is reported in `tail`).
SplitBatches split_batches(std::span<const uint8_t> buffer);

}  // namespace common::records
