#pragma once
// Test helper: builds valid magic-v2 record batches (uncompressed) byte by byte, with chosen
// producer id/epoch/sequence, so partition tests need nothing but the records library.

#include <cstdint>
#include <string>
#include <vector>

#include "common/protocol/records/big_endian.h"
#include "common/protocol/records/record_batch.h"

namespace broker::partition::testing {

struct BatchSpec {
    int64_t producer_id = -1;
    int16_t producer_epoch = -1;
    int32_t base_sequence = -1;
    int64_t timestamp = 1000;
    int16_t attributes = 0;
    std::vector<std::string> values = {"v"};
};

inline void put_varint(std::vector<uint8_t>& out, int64_t v) {
    uint64_t z = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
    while (z >= 0x80) {
        out.push_back(static_cast<uint8_t>(z | 0x80));
        z >>= 7;
    }
    out.push_back(static_cast<uint8_t>(z));
}

inline std::vector<uint8_t> make_batch(const BatchSpec& spec) {
    namespace rec = common::records;
    namespace be = common::records::be;
    std::vector<uint8_t> records;
    for (size_t i = 0; i < spec.values.size(); ++i) {
        std::vector<uint8_t> body;
        body.push_back(0);                          // attributes
        put_varint(body, 0);                        // timestamp delta
        put_varint(body, static_cast<int64_t>(i));  // offset delta
        put_varint(body, -1);                       // null key
        put_varint(body, static_cast<int64_t>(spec.values[i].size()));
        body.insert(body.end(), spec.values[i].begin(), spec.values[i].end());
        put_varint(body, 0);  // no headers
        put_varint(records, static_cast<int64_t>(body.size()));
        records.insert(records.end(), body.begin(), body.end());
    }
    std::vector<uint8_t> b(rec::kBatchHeaderSize, 0);
    b.insert(b.end(), records.begin(), records.end());
    uint8_t* p = b.data();
    const auto count = static_cast<int32_t>(spec.values.size());
    be::store<int64_t>(p + rec::kBaseOffsetPos, 0);
    be::store<int32_t>(p + rec::kBatchLengthPos,
                       static_cast<int32_t>(b.size() - rec::kLogOverhead));
    be::store<int32_t>(p + rec::kPartitionLeaderEpochPos, -1);
    p[rec::kMagicPos] = 2;
    be::store<int16_t>(p + rec::kAttributesPos, spec.attributes);
    be::store<int32_t>(p + rec::kLastOffsetDeltaPos, count - 1);
    be::store<int64_t>(p + rec::kBaseTimestampPos, spec.timestamp);
    be::store<int64_t>(p + rec::kMaxTimestampPos, spec.timestamp);
    be::store<int64_t>(p + rec::kProducerIdPos, spec.producer_id);
    be::store<int16_t>(p + rec::kProducerEpochPos, spec.producer_epoch);
    be::store<int32_t>(p + rec::kBaseSequencePos, spec.base_sequence);
    be::store<int32_t>(p + rec::kRecordsCountPos, count);
    be::store<uint32_t>(p + rec::kCrcPos, rec::compute_batch_crc(b));
    return b;
}

}  // namespace broker::partition::testing
