#include "broker/partition/batch_validation.h"

#include "broker/partition/errc.h"
#include "common/errc.h"
#include "common/protocol/records/batch_splitter.h"

namespace broker::partition {

namespace rec = common::records;

common::Result<rec::RecordBatchHeader> validate_produce_batch(std::span<const uint8_t> records,
                                                              int32_t max_message_bytes) {
    if (records.size() > rec::kMagicPos && records[rec::kMagicPos] != rec::kMagicV2) {
        return Errc::UnsupportedMessageFormat;
    }
    const rec::SplitBatches split = rec::split_batches(records);
    if (split.tail || split.batches.empty()) return Errc::CorruptMessage;
    // Produce v3+ carries exactly one batch per partition.
    if (split.batches.size() != 1) return Errc::InvalidRecord;
    const std::span<const uint8_t> batch = split.batches.front();
    if (max_message_bytes >= 0 && batch.size() > static_cast<size_t>(max_message_bytes)) {
        return Errc::MessageTooLarge;
    }
    auto header = rec::validate_batch(batch);
    if (!header) {
        if (header.error() == common::Errc::Unsupported && batch[rec::kMagicPos] != rec::kMagicV2) {
            return Errc::UnsupportedMessageFormat;
        }
        return Errc::CorruptMessage;
    }
    const rec::RecordBatchHeader& h = header.value();
    if (h.records_count <= 0 || h.last_offset_delta != h.records_count - 1) {
        return Errc::CorruptMessage;
    }
    if (h.is_control()) return Errc::InvalidRecord;
    if (h.is_transactional()) return Errc::TransactionsUnsupported;
    if (h.producer_id >= 0 && (h.producer_epoch < 0 || h.base_sequence < 0)) {
        return Errc::InvalidRecord;
    }
    return h;
}

common::Result<AcceptedBatch> accept_produce_batch(std::span<uint8_t> records,
                                                   const PartitionSettings& settings,
                                                   int64_t now_ms) {
    TRIBUTARY_TRY(header, validate_produce_batch(records, settings.max_message_bytes));
    AcceptedBatch accepted{.header = header};
    if (settings.timestamp_type != rec::TimestampType::LogAppendTime) return accepted;
    // As Kafka does for a batch it keeps as sent: the base timestamp and the records' deltas stay.
    // `records` holds exactly the one batch validated above, so neither step can fail.
    (void)rec::set_log_append_time(records, now_ms);
    TRIBUTARY_TRY(stamped, rec::parse_batch_header(records));
    accepted.header = stamped;
    accepted.log_append_time = now_ms;
    return accepted;
}

ProduceResult duplicate_result(const CachedBatch& original, const PartitionSettings& settings,
                               int64_t log_start_offset) {
    const bool append_time = settings.timestamp_type == rec::TimestampType::LogAppendTime;
    return ProduceResult{.base_offset = original.first_offset,
                         .log_append_time = append_time ? original.max_timestamp : -1,
                         .log_start_offset = log_start_offset,
                         .duplicate = true};
}

}  // namespace broker::partition
