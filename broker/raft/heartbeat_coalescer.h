#pragma once
// HeartbeatCoalescer: gathers the heartbeats (and heartbeat responses) of every Raft group
// between this broker and each peer broker, so that one frame carries them all: thousands of
// partitions led here and followed there cost one HeartbeatBatch frame per heartbeat interval,
// answered by one HeartbeatResponseBatch. Only the latest message per (group, kind) is kept: an
// older heartbeat of the same group says nothing the newer one does not. Pure bookkeeping (no
// timers, no sockets): NodeHost owns it and its one timer per peer. Single-threaded.

#include <cstdint>
#include <map>
#include <vector>

#include "broker/raft/messages.h"

namespace broker::raft {

class HeartbeatCoalescer {
  public:
    void add(const HeartbeatRequest& heartbeat);
    void add(const HeartbeatResponse& response);
    bool has_pending(NodeId peer) const;
    // Peers with something queued.
    std::vector<NodeId> pending_peers() const;
    // The frames for `peer` (a request batch and/or a response batch, whole frames ready for
    // TcpTransport::send), emptying its queue.
    std::vector<std::vector<uint8_t>> take_frames(NodeId peer);
    // Heartbeats and responses taken so far, and the frames that carried them.
    uint64_t messages_taken() const { return messages_taken_; }
    uint64_t frames_taken() const { return frames_taken_; }

  private:
    // What is queued for one peer, by group.
    struct Pending {
        std::map<GroupId, HeartbeatRequest> requests;
        std::map<GroupId, HeartbeatResponse> responses;
    };
    std::map<NodeId, Pending> pending_;
    uint64_t messages_taken_ = 0;
    uint64_t frames_taken_ = 0;
};

}  // namespace broker::raft
