#pragma once
// ControllerService: the active controller's side of broker heartbeats (broker_heartbeat.h).
// On the quorum leader it
//   - registers a broker whose incarnation it does not know (Controller::register_broker through
//     ControllerQuorum::submit: a new epoch, fenced) and answers with that epoch;
//   - records every heartbeat in BrokerLiveness (a new leader gives every broker a full session);
//   - applies the partitions the broker leads (Controller::report_leadership), one command per
//     broker at a time;
//   - every check interval fences brokers whose session expired and unfences fenced ones that
//     heartbeat, and adds a registered broker that is not a member of the controller quorum as
//     a learner, one change at a time (check(), quorum_learners.h);
//   - adds a broker-only node that asks to join (QuorumJoin, quorum_join.h) as a learner.
// On any other node it answers NotController. serve() makes it the NodeHost's control handler,
// so heartbeats from other nodes arrive over the Raft transport; the local BrokerRegistrar calls
// handle() directly.
// Lives on the quorum's io_context (shard 0): every member is called there. The quorum, the
// io_context and the host outlive it; callbacks posted after destruction do nothing.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>

#include "broker/cluster/broker_heartbeat.h"
#include "broker/cluster/broker_liveness.h"
#include "broker/cluster/controller_quorum.h"
#include "broker/cluster/quorum_join.h"

namespace broker::cluster {

struct ControllerServiceOptions {
    std::chrono::milliseconds session_timeout{9000};  // broker.session.timeout.ms
    std::chrono::milliseconds check_interval{500};
    // The clock (tests pass a fake one); steady_clock::now when unset.
    std::function<BrokerLiveness::Clock::time_point()> now;
};

class ControllerService {
  public:
    using Respond = std::function<void(BrokerHeartbeatResponse)>;

    ControllerService(boost::asio::io_context& io, ControllerQuorum& quorum,
                      ControllerServiceOptions options);
    ~ControllerService();
    ControllerService(const ControllerService&) = delete;
    ControllerService& operator=(const ControllerService&) = delete;

    // Serves heartbeats arriving on `host` (its control handler) and starts the check timer.
    void start(raft::NodeHost& host);
    void stop();

    // One heartbeat; `respond` runs once, now or after the quorum applied the registration.
    void handle(const BrokerHeartbeat& heartbeat, Respond respond);
    // One fence/unfence and learner pass (the timer calls it; tests too).
    void check();

  private:
    struct Timer;
    // Whether this node leads; a new term starts every broker's session afresh.
    bool leading();
    void register_broker(const BrokerHeartbeat& heartbeat, Respond respond);
    void report(int32_t broker_id, std::vector<LeaderReport> reports);
    void submit_fencing(int32_t id, int64_t epoch, bool fence);
    void update_learners(const MetadataState& state);
    // A broker-only node asks to follow the metadata log (quorum_join.h).
    common::protocol::ErrorCode join(const QuorumJoinRequest& request);
    void arm_timer();
    BrokerLiveness::Clock::time_point now() const;

    boost::asio::io_context& io_;
    ControllerQuorum& quorum_;
    ControllerServiceOptions options_;
    BrokerLiveness liveness_;
    raft::NodeHost* host_ = nullptr;
    int64_t led_term_ = -1;        // the term whose leadership liveness_ was reset for
    bool reset_pending_ = false;   // reset liveness_ once the new leader has applied the log
    int fencing_in_flight_ = 0;    // fence/unfence commands submitted, not yet done
    std::set<int32_t> reporting_;  // brokers with a report_leadership command in flight
    std::unique_ptr<Timer> timer_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace broker::cluster
