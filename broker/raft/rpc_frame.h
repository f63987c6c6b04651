#pragma once
// The frame of Raft's inter-broker protocol (not Kafka's): every frame on a TcpTransport
// connection is
//
//   uint32 size        bytes that follow, 14 .. max_frame_bytes
//   uint16 api         RpcApi
//   uint16 version     of that api's payload encoding
//   uint64 group       the Raft group the payload belongs to (0 for connection-level frames)
//   payload            api-specific, see rpc_codec.h
//
// All integers big-endian. The first frame a dialer sends is Hello (its node id and the node id
// it meant to reach); everything after it is Raft traffic. Pure functions, no state.

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"
#include "common/strong_id.h"

namespace broker::raft {

enum class RpcApi : uint16_t {
    Hello = 0,
    RaftMessage = 1,             // one Raft message of one group (rpc_codec.h)
    HeartbeatBatch = 2,          // heartbeats of many groups, one broker pair (heartbeat_batch.h)
    HeartbeatResponseBatch = 3,  // their replies
    ControlRequest = 4,          // a node-level request, not a group's (control_frame.h)
    ControlResponse = 5,         // its answer, matched by correlation id
};
inline constexpr uint16_t kMaxRpcApi = 5;

struct FrameHeader {
    RpcApi api = RpcApi::Hello;
    uint16_t version = 0;
    uint64_t group = 0;
    bool operator==(const FrameHeader&) const = default;
};

// Bytes of the header after the size field.
inline constexpr size_t kFrameHeaderBytes = 12;
// Bytes of the size field.
inline constexpr size_t kFrameSizeBytes = 4;

struct FrameView {
    FrameHeader header;
    std::span<const uint8_t> payload;  // borrowed from the decoded body
};

// Appends header and payload to `out`, prefixed by the size field.
void append_frame(std::vector<uint8_t>& out, const FrameHeader& header,
                  std::span<const uint8_t> payload);
// A whole frame (size field included).
std::vector<uint8_t> make_frame(const FrameHeader& header, std::span<const uint8_t> payload);
// Splits a frame body (what follows the size field) into header and payload. Unknown apis are
// refused (Errc::Unsupported), short bodies Errc::Truncated.
[[nodiscard]] common::Result<FrameView> decode_frame_body(std::span<const uint8_t> body);
// Reads the size field; returns the body size.
uint32_t decode_frame_size(std::span<const uint8_t, kFrameSizeBytes> size_field);

// The dialer's first frame: who it is and whom it meant to reach.
struct Hello {
    common::NodeId from;
    common::NodeId to;
    bool operator==(const Hello&) const = default;
};
std::vector<uint8_t> make_hello_frame(const Hello& hello);
[[nodiscard]] common::Result<Hello> decode_hello(const FrameView& frame);

}  // namespace broker::raft
