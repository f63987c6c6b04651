#pragma once
// Control records: the single record of a control batch. A key of (version int16, type int16);
// for transaction markers (Abort/Commit) a value of (version int16, coordinator_epoch int32).

#include <cstdint>
#include <vector>

#include "common/protocol/records/record.h"
#include "common/result.h"

namespace common::records {

enum class ControlType : int16_t {
    Abort = 0,
    Commit = 1,
};

struct EndTxnMarker {
    ControlType type = ControlType::Abort;
    int32_t coordinator_epoch = 0;
};

// The batch a partition leader appends when a transaction ends: transactional + control
// attributes, one marker record, base_sequence -1.
struct EndTxnMarkerBatch {
    int64_t producer_id = -1;
    int16_t producer_epoch = -1;
    int64_t base_offset = 0;
    int32_t partition_leader_epoch = -1;
    int64_t timestamp = -1;
    EndTxnMarker marker;
};
[[nodiscard]] Result<std::vector<uint8_t>> build_end_txn_marker_batch(const EndTxnMarkerBatch& b);

// The raw control type of a control record's key (other types exist beyond Abort/Commit, e.g.
// for Raft bookkeeping; they are returned as their number). Errors: Malformed (null or short key).
[[nodiscard]] Result<int16_t> control_type_of(const Record& r);

// Decodes a transaction marker record. Errors: Malformed (short or null key/value),
// Unsupported (a control type that is not Abort or Commit).
[[nodiscard]] Result<EndTxnMarker> parse_end_txn_marker(const Record& r);

}  // namespace common::records
