#include "common/protocol/records/control_record.h"

#include "common/errc.h"
#include "common/protocol/records/big_endian.h"
#include "common/protocol/records/record_batch_builder.h"

namespace common::records {
namespace {

constexpr int16_t kControlKeyVersion = 0;
constexpr int16_t kMarkerValueVersion = 0;
constexpr size_t kKeySize = 4;
constexpr size_t kMarkerValueSize = 6;

}  // namespace

Result<std::vector<uint8_t>> build_end_txn_marker_batch(const EndTxnMarkerBatch& b) {
    BatchOptions o;
    o.base_offset = b.base_offset;
    o.partition_leader_epoch = b.partition_leader_epoch;
    o.producer_id = b.producer_id;
    o.producer_epoch = b.producer_epoch;
    o.base_sequence = -1;
    o.transactional = true;
    o.control = true;
    NewRecord r;
    r.timestamp = b.timestamp;
    r.key.emplace(kKeySize);
    be::store<int16_t>(r.key->data(), kControlKeyVersion);
    be::store<int16_t>(r.key->data() + 2, static_cast<int16_t>(b.marker.type));
    r.value.emplace(kMarkerValueSize);
    be::store<int16_t>(r.value->data(), kMarkerValueVersion);
    be::store<int32_t>(r.value->data() + 2, b.marker.coordinator_epoch);
    RecordBatchBuilder builder(o);
    builder.add(std::move(r));
    return builder.build();
}

Result<int16_t> control_type_of(const Record& r) {
    if (!r.key || r.key->size() < kKeySize) {
        return Errc::Malformed;
    }
    return be::load<int16_t>(r.key->data() + 2);
}

Result<EndTxnMarker> parse_end_txn_marker(const Record& r) {
    TRIBUTARY_TRY(type, control_type_of(r));
    if (type != static_cast<int16_t>(ControlType::Abort) &&
        type != static_cast<int16_t>(ControlType::Commit)) {
        return Errc::Unsupported;
    }
    if (!r.value || r.value->size() < kMarkerValueSize) {
        return Errc::Malformed;
    }
    EndTxnMarker m;
    m.type = static_cast<ControlType>(type);
    m.coordinator_epoch = be::load<int32_t>(r.value->data() + 2);
    return m;
}

}  // namespace common::records
