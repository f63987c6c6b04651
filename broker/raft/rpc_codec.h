#pragma once
// The Raft messages on the wire, inside rpc_frame.h's frames. Version 0 of every payload:
//
// RpcApi::RaftMessage (frame group = the message's group):
//   int8 kind (the Message variant index) | int32 from | int32 to | int64 term | fields below
//   VoteRequest            int64 last_log_index | int64 last_log_term | bool pre_vote |
//                          bool leadership_transfer
//   VoteResponse           bool pre_vote | bool granted
//   AppendEntriesRequest   int64 prev_log_index | int64 prev_log_term | int64 commit_index |
//                          int32 count | count x (int64 term | int64 index | int8 type |
//                          bytes payload)
//   AppendEntriesResponse  bool success | int64 request_prev_index | int64 match_index |
//                          int64 conflict_index | int64 conflict_term | int64 last_log_index
//   HeartbeatRequest       int64 commit_index
//   HeartbeatResponse      -
//   InstallSnapshotRequest int64 index | int64 term | bytes membership | int64 offset |
//                          bytes data | bool done
//   InstallSnapshotResponse int64 snapshot_index | int64 next_offset | bool done
//   TimeoutNow             -
// RpcApi::HeartbeatBatch (frame group 0): int32 from | int32 to | int32 count |
//                          count x (int64 group | int64 term | int64 commit_index)
// RpcApi::HeartbeatResponseBatch: int32 from | int32 to | int32 count | count x (int64 group |
//                          int64 term)
// `bytes` is an int32 length and the bytes; big-endian throughout. Decoding checks every bound,
// refuses negative terms and indexes, unknown kinds and entry types, and trailing bytes.

#include <cstdint>
#include <span>
#include <vector>

#include "broker/raft/messages.h"
#include "broker/raft/rpc_frame.h"
#include "common/result.h"

namespace broker::raft {

// A whole frame (size field included) carrying `msg`.
std::vector<uint8_t> encode_message(const Message& msg);
[[nodiscard]] common::Result<Message> decode_message(const FrameView& frame);

// Heartbeats (or their responses) of many groups between one pair of brokers; every element
// must have the same from and to.
std::vector<uint8_t> encode_heartbeat_batch(std::span<const HeartbeatRequest> heartbeats);
std::vector<uint8_t> encode_heartbeat_response_batch(std::span<const HeartbeatResponse> responses);
[[nodiscard]] common::Result<std::vector<HeartbeatRequest>> decode_heartbeat_batch(
    const FrameView& frame);
[[nodiscard]] common::Result<std::vector<HeartbeatResponse>> decode_heartbeat_response_batch(
    const FrameView& frame);

}  // namespace broker::raft
