#include "common/protocol/records/record_iterator.h"

#include "common/errc.h"
#include "common/protocol/records/compression.h"

namespace common::records {
namespace {

std::optional<std::vector<uint8_t>> copy_of(const std::optional<ByteView>& v) {
    if (!v) {
        return std::nullopt;
    }
    return std::vector<uint8_t>(v->begin(), v->end());
}

}  // namespace

Result<RecordIterator> RecordIterator::open(std::span<const uint8_t> batch,
                                            size_t max_decompressed) {
    TRIBUTARY_TRY(header, validate_batch(batch));
    std::vector<uint8_t> decompressed;
    if (header.compression() != Codec::None) {
        TRIBUTARY_TRY(bytes, decompress(header.compression(), batch.subspan(kBatchHeaderSize),
                                        max_decompressed));
        decompressed = std::move(bytes);
    }
    return RecordIterator(header, batch, std::move(decompressed));
}

std::span<const uint8_t> RecordIterator::payload() const {
    if (header_.compression() == Codec::None) {
        return batch_.subspan(kBatchHeaderSize);
    }
    return decompressed_;
}

Result<std::optional<Record>> RecordIterator::next() {
    const auto data = payload();
    if (returned_ == header_.records_count) {
        if (pos_ != data.size()) {
            return Errc::Malformed;
        }
        return std::optional<Record>{};
    }
    if (pos_ == data.size()) {
        return Errc::Malformed;
    }
    TRIBUTARY_TRY(record, decode_record(data, pos_));
    if (record.offset_delta < 0 || record.offset_delta > header_.last_offset_delta) {
        return Errc::Malformed;
    }
    ++returned_;
    return std::optional<Record>{std::move(record)};
}

int64_t RecordIterator::offset_of(const Record& r) const {
    return static_cast<int64_t>(static_cast<uint64_t>(header_.base_offset) +
                                static_cast<uint64_t>(static_cast<int64_t>(r.offset_delta)));
}

int64_t RecordIterator::timestamp_of(const Record& r) const {
    if (header_.timestamp_type() == TimestampType::LogAppendTime) {
        return header_.max_timestamp;
    }
    // Wrapping arithmetic: hostile deltas must not be undefined behaviour.
    return static_cast<int64_t>(static_cast<uint64_t>(header_.base_timestamp) +
                                static_cast<uint64_t>(r.timestamp_delta));
}

Result<std::vector<OwnedRecord>> read_all_records(std::span<const uint8_t> batch,
                                                  size_t max_decompressed) {
    TRIBUTARY_TRY(it, RecordIterator::open(batch, max_decompressed));
    std::vector<OwnedRecord> out;
    while (true) {
        TRIBUTARY_TRY(next, it.next());
        if (!next) {
            break;
        }
        OwnedRecord o;
        o.offset = it.offset_of(*next);
        o.timestamp = it.timestamp_of(*next);
        o.key = copy_of(next->key);
        o.value = copy_of(next->value);
        for (const auto& h : next->headers) {
            o.headers.emplace_back(std::string(h.key), copy_of(h.value));
        }
        out.push_back(std::move(o));
    }
    return out;
}

}  // namespace common::records
