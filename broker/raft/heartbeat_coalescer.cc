#include "broker/raft/heartbeat_coalescer.h"

#include "broker/raft/rpc_codec.h"

namespace broker::raft {

void HeartbeatCoalescer::add(const HeartbeatRequest& heartbeat) {
    pending_[heartbeat.header.to].requests[heartbeat.header.group] = heartbeat;
}

void HeartbeatCoalescer::add(const HeartbeatResponse& response) {
    pending_[response.header.to].responses[response.header.group] = response;
}

bool HeartbeatCoalescer::has_pending(NodeId peer) const {
    return pending_.contains(peer);
}

std::vector<NodeId> HeartbeatCoalescer::pending_peers() const {
    std::vector<NodeId> out;
    for (const auto& [peer, pending] : pending_) out.push_back(peer);
    return out;
}

std::vector<std::vector<uint8_t>> HeartbeatCoalescer::take_frames(NodeId peer) {
    std::vector<std::vector<uint8_t>> frames;
    auto it = pending_.find(peer);
    if (it == pending_.end()) return frames;
    Pending pending = std::move(it->second);
    pending_.erase(it);
    // Every element of a batch has the same sender (this broker) and receiver (`peer`).
    if (!pending.requests.empty()) {
        std::vector<HeartbeatRequest> batch;
        batch.reserve(pending.requests.size());
        for (auto& [group, hb] : pending.requests) batch.push_back(hb);
        messages_taken_ += batch.size();
        frames.push_back(encode_heartbeat_batch(batch));
    }
    if (!pending.responses.empty()) {
        std::vector<HeartbeatResponse> batch;
        batch.reserve(pending.responses.size());
        for (auto& [group, resp] : pending.responses) batch.push_back(resp);
        messages_taken_ += batch.size();
        frames.push_back(encode_heartbeat_response_batch(batch));
    }
    frames_taken_ += frames.size();
    return frames;
}

}  // namespace broker::raft
