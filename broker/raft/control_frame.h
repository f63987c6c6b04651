#pragma once
// Control frames: node-level requests between brokers on the Raft transport (broker heartbeats
// to the active controller, ...), routed by NodeHost to one control handler instead of a group.
// Version 0, frame group 0:
//
//   RpcApi::ControlRequest    int64 correlation_id | bytes body
//   RpcApi::ControlResponse   int64 correlation_id | bytes body
//
// `bytes` is an int32 length and the bytes (at most kMaxControlBodyBytes). The body is opaque
// here: its owner (broker/cluster) encodes and decodes it. The correlation id is the caller's
// and comes back unchanged in the response. Decoding checks every bound and refuses trailing
// bytes; a malformed control frame closes the connection like any other bad frame.

#include <cstdint>
#include <span>
#include <vector>

#include "broker/raft/rpc_frame.h"
#include "common/result.h"

namespace broker::raft {

inline constexpr size_t kMaxControlBodyBytes = 1u << 20;

struct ControlFrame {
    bool response = false;  // ControlResponse, else ControlRequest
    uint64_t correlation_id = 0;
    std::vector<uint8_t> body;
    bool operator==(const ControlFrame&) const = default;
};

// A whole frame (size field included).
std::vector<uint8_t> encode_control(const ControlFrame& frame);
// Malformed / Truncated / TooLarge for bad bytes, Unsupported for a newer version.
[[nodiscard]] common::Result<ControlFrame> decode_control(const FrameView& frame);

}  // namespace broker::raft
