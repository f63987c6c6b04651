#pragma once
// Idempotent-producer state of one partition (KIP-98): per producer id, its epoch and the
// metadata of its last five batches, so a retried batch is answered with its original offsets
// instead of being appended twice, and gaps or stale epochs are refused.
// Owned by its Partition; lives on and is touched only by the partition's shard.

#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace broker::partition {

// What idempotence needs to know about one batch (all from the batch header).
struct ProducerBatch {
    int64_t producer_id = -1;
    int16_t producer_epoch = -1;
    int32_t base_sequence = -1;
    int32_t last_offset_delta = 0;
    int64_t max_timestamp = -1;

    int32_t last_sequence() const;
};

// A batch already in the log, remembered for duplicate detection.
struct CachedBatch {
    int32_t first_sequence = 0;
    int32_t last_sequence = 0;
    int64_t first_offset = 0;
    int64_t last_offset = 0;
    int64_t max_timestamp = -1;
};

struct ProducerEntry {
    int16_t epoch = -1;
    std::deque<CachedBatch> batches;  // oldest first, at most kRetainedBatches
};

// Verdict on a batch before it is appended.
struct SequenceVerdict {
    std::optional<CachedBatch> duplicate;  // set: answer with these offsets, do not append
};

class ProducerStateTable {
  public:
    static constexpr size_t kRetainedBatches = 5;

    // Checks a batch of an idempotent producer against the known state. Errors:
    // InvalidProducerEpoch, OutOfOrderSequence, UnknownProducerId.
    [[nodiscard]] common::Result<SequenceVerdict> check(const ProducerBatch& batch) const;

    // Records a batch that is now in the log at [first_offset, first_offset + last_offset_delta].
    // Also used to rebuild the state from the log, so it never refuses.
    void record(const ProducerBatch& batch, int64_t first_offset);

    // Forgets everything (used before loading a snapshot).
    void clear() { producers_.clear(); }

    const std::unordered_map<int64_t, ProducerEntry>& producers() const { return producers_; }
    void put(int64_t producer_id, ProducerEntry entry) {
        producers_[producer_id] = std::move(entry);
    }

  private:
    std::unordered_map<int64_t, ProducerEntry> producers_;
};

// Kafka's sequence successor rule: sequences wrap from INT32_MAX to 0.
bool is_next_sequence(int32_t last, int32_t next);

}  // namespace broker::partition
