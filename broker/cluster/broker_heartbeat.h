#pragma once
// BrokerHeartbeat: the message every broker sends the active controller every
// broker.heartbeat.interval.ms, in a control frame on the Raft transport (raft/control_frame.h).
// It registers the broker (a new incarnation gets a new epoch, fenced), keeps its session alive
// (BrokerLiveness) and carries the partitions it leads (LeaderReport). Body encoding, version 0,
// big-endian, Kafka's non-flexible primitives:
//
//   int16 type (1) | int16 version (0) | int32 broker_id | uuid incarnation_id |
//   int64 broker_epoch | nullable string rack | int32 count x (string name | string host |
//   uint16 port | string security_protocol) | int32 count x (uuid topic_id | int32 partition |
//   int32 leader_epoch | int32 count x int32 isr)
//
//   response: int16 type (2) | int16 version (0) | int16 error_code | int64 broker_epoch |
//             bool fenced
//
// Decoding checks every bound (counts against the bytes left), refuses unknown types, newer
// versions and trailing bytes.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "broker/cluster/leader_report.h"
#include "broker/cluster/metadata_record.h"
#include "common/protocol/error_code.h"
#include "common/result.h"

namespace broker::cluster {

struct BrokerHeartbeat {
    int32_t broker_id = 0;
    Uuid incarnation_id{};      // new random id per process start
    int64_t broker_epoch = -1;  // -1 until registered
    std::optional<std::string> rack;
    std::vector<BrokerEndpoint> endpoints;  // its client listeners' advertised addresses
    std::vector<LeaderReport> reports;      // the partitions it leads
    bool operator==(const BrokerHeartbeat&) const = default;
};

struct BrokerHeartbeatResponse {
    // None, NotController (the receiver does not lead the quorum), or the registration's error.
    common::protocol::ErrorCode error = common::protocol::ErrorCode::None;
    int64_t broker_epoch = -1;
    bool fenced = true;
    bool operator==(const BrokerHeartbeatResponse&) const = default;
};

std::vector<uint8_t> encode_heartbeat(const BrokerHeartbeat& heartbeat);
[[nodiscard]] common::Result<BrokerHeartbeat> decode_heartbeat(std::span<const uint8_t> bytes);
std::vector<uint8_t> encode_heartbeat_response(const BrokerHeartbeatResponse& response);
[[nodiscard]] common::Result<BrokerHeartbeatResponse> decode_heartbeat_response(
    std::span<const uint8_t> bytes);

}  // namespace broker::cluster
