#include "broker/partition/producer_state.h"

#include <limits>

#include "broker/partition/errc.h"

namespace broker::partition {

int32_t ProducerBatch::last_sequence() const {
    const int64_t last = int64_t{base_sequence} + last_offset_delta;
    const int64_t max = std::numeric_limits<int32_t>::max();
    return static_cast<int32_t>(last > max ? last - max - 1 : last);
}

bool is_next_sequence(int32_t last, int32_t next) {
    if (last == std::numeric_limits<int32_t>::max()) return next == 0;
    return next == last + 1;
}

common::Result<SequenceVerdict> ProducerStateTable::check(const ProducerBatch& batch) const {
    auto it = producers_.find(batch.producer_id);
    if (it == producers_.end()) {
        // Nothing known of this producer: its first batch must start at sequence 0.
        if (batch.base_sequence != 0) return Errc::UnknownProducerId;
        return SequenceVerdict{};
    }
    const ProducerEntry& entry = it->second;
    if (batch.producer_epoch < entry.epoch) return Errc::InvalidProducerEpoch;
    if (batch.producer_epoch > entry.epoch) {
        // A bumped epoch restarts the sequence.
        if (batch.base_sequence != 0) return Errc::OutOfOrderSequence;
        return SequenceVerdict{};
    }
    for (const CachedBatch& cached : entry.batches) {
        if (cached.first_sequence == batch.base_sequence &&
            cached.last_sequence == batch.last_sequence()) {
            return SequenceVerdict{cached};
        }
    }
    if (entry.batches.empty()) {
        // Known epoch but no batch retained (e.g. after an epoch bump with nothing written yet).
        if (batch.base_sequence != 0) return Errc::OutOfOrderSequence;
        return SequenceVerdict{};
    }
    if (!is_next_sequence(entry.batches.back().last_sequence, batch.base_sequence)) {
        return Errc::OutOfOrderSequence;
    }
    return SequenceVerdict{};
}

void ProducerStateTable::record(const ProducerBatch& batch, int64_t first_offset) {
    ProducerEntry& entry = producers_[batch.producer_id];
    if (batch.producer_epoch != entry.epoch) {
        entry.epoch = batch.producer_epoch;
        entry.batches.clear();
    }
    entry.batches.push_back(CachedBatch{
        .first_sequence = batch.base_sequence,
        .last_sequence = batch.last_sequence(),
        .first_offset = first_offset,
        .last_offset = first_offset + batch.last_offset_delta,
        .max_timestamp = batch.max_timestamp,
    });
    while (entry.batches.size() > kRetainedBatches) entry.batches.pop_front();
}

}  // namespace broker::partition
