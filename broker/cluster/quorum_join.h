#pragma once
// QuorumJoin: how a broker-only node (process.roles=broker, not in controller.quorum.voters)
// becomes a learner of the controller quorum. It cannot register first: registration waits for
// the quorum's cluster id (ClusterIdFollower), which it learns only from the metadata log, which
// the active controller sends only to members. So, like a Kafka observer that fetches the log
// before it registers, it asks first: every interval, while it knows no quorum leader (or the
// last ask failed), it sends a QuorumJoin (its node id and Raft listener) to one voter, the next
// one after a NotController or no answer; while it follows a leader, it asks that leader every
// ten intervals (a leader that died before committing the learner entry leaves none behind). The
// active controller names the node as a Raft peer and adds it as a learner (ControllerService);
// from then on the leader replicates the log to it, and it registers.
// Control frame bodies (control_body.h), version 0, big-endian:
//
//   request:  int16 type (5) | int16 version (0) | int32 node_id | string host | uint16 port
//   response: int16 type (6) | int16 version (0) | int16 error_code
//
// error_code: None (a learner, or being added), NotController (ask another voter),
// RequestTimedOut (a membership change is in flight: ask again), InvalidRequest (a voter).

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "broker/cluster/controller_quorum.h"
#include "common/protocol/error_code.h"
#include "common/result.h"

namespace broker::cluster {

struct QuorumJoinRequest {
    int32_t node_id = 0;
    std::string host;  // the node's Raft listener
    uint16_t port = 0;
    bool operator==(const QuorumJoinRequest&) const = default;
};

std::vector<uint8_t> encode_quorum_join(const QuorumJoinRequest& request);
[[nodiscard]] common::Result<QuorumJoinRequest> decode_quorum_join(std::span<const uint8_t> bytes);
std::vector<uint8_t> encode_quorum_join_response(common::protocol::ErrorCode error);
[[nodiscard]] common::Result<common::protocol::ErrorCode> decode_quorum_join_response(
    std::span<const uint8_t> bytes);

struct QuorumJoinerOptions {
    QuorumJoinRequest request;
    std::vector<int32_t> voters;  // controller.quorum.voters' ids, asked in turn
    std::chrono::milliseconds interval{200};
};

// The broker-only node's side. Lives on the quorum's io_context (shard 0): every member is called
// there. The host and quorum outlive it.
class QuorumJoiner {
  public:
    QuorumJoiner(boost::asio::io_context& io, raft::NodeHost& host, ControllerQuorum& quorum,
                 QuorumJoinerOptions options);
    ~QuorumJoiner();
    QuorumJoiner(const QuorumJoiner&) = delete;
    QuorumJoiner& operator=(const QuorumJoiner&) = delete;

    void start();
    void stop();

  private:
    struct Timer;
    void tick();
    void on_answer(common::Result<common::protocol::ErrorCode> answer);
    void arm_timer();

    raft::NodeHost& host_;
    ControllerQuorum& quorum_;
    QuorumJoinerOptions options_;
    size_t guess_ = 0;     // the voter asked next: options_.voters[guess_ % size]
    int32_t target_ = -1;  // the node the request in flight (or the last one) went to
    uint64_t ticks_ = 0;
    bool failed_ = false;  // the last request failed: ask the voters in turn
    bool joined_ = false;
    bool in_flight_ = false;
    bool running_ = false;
    std::unique_ptr<Timer> timer_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace broker::cluster
