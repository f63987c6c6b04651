#pragma once
// The bodies broker/cluster exchanges in the Raft transport's control frames (raft::NodeHost::
// call): each starts with an int16 type and an int16 version, and NodeHost routes requests by
// the type. One place for the types, so no two bodies share one, and for the reading helpers
// every body's codec uses.

#include <cstddef>
#include <cstdint>

#include "common/protocol/reader.h"
#include "common/protocol/writer.h"
#include "common/result.h"

namespace broker::cluster {

inline constexpr uint16_t kHeartbeatType = 1;
inline constexpr uint16_t kHeartbeatResponseType = 2;
inline constexpr uint16_t kTopicCommandType = 3;
inline constexpr uint16_t kTopicCommandResultType = 4;
inline constexpr uint16_t kQuorumJoinType = 5;
inline constexpr uint16_t kQuorumJoinResponseType = 6;

void write_body_head(common::protocol::Writer& w, uint16_t type, int16_t version);
// Reads the head: Malformed unless the type is `type` and the version not negative;
// Unsupported when the version is above `max_version` (a newer broker's body).
common::Result<void> read_body_head(common::protocol::Reader& r, uint16_t type,
                                    int16_t max_version);
// A count of elements of at least `min_bytes` each that the remaining bytes can hold; Malformed
// otherwise (a count never makes the reader allocate more than the body could fill).
common::Result<int32_t> read_count(common::protocol::Reader& r, size_t min_bytes);

}  // namespace broker::cluster
