#pragma once
// BrokerRegistrar: this broker's side of registration in clustered mode. Every
// broker.heartbeat.interval.ms (every 100 ms while fenced: start-up waits for the unfencing) it
// sends the current controller quorum leader (known from this node's ControllerQuorum) a
// BrokerHeartbeat: node id, this process's incarnation id, the epoch it was registered with (-1
// before), rack, its client listeners' advertised addresses and the partitions it leads (from
// the report source, all of them every time). Over the Raft transport (NodeHost::call) to
// another node; to the local ControllerService when this node leads. NotController, timeouts and
// unknown leaders are retried at the next interval; one heartbeat is in flight at a time (a lost
// one is given up after the timeout).
// Lives on the quorum's io_context (shard 0): every member but controller_id() is called there.
// The host, quorum and service outlive it.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "broker/cluster/broker_heartbeat.h"
#include "broker/cluster/controller_quorum.h"
#include "broker/cluster/controller_service.h"

namespace broker::cluster {

struct BrokerRegistrarOptions {
    int32_t node_id = 0;
    Uuid incarnation_id{};  // new per process start
    std::optional<std::string> rack;
    std::vector<BrokerEndpoint> endpoints;
    std::chrono::milliseconds interval{2000};  // broker.heartbeat.interval.ms
    std::chrono::milliseconds timeout{4000};   // a heartbeat unanswered this long is given up
};

class BrokerRegistrar {
  public:
    using ReportSource = std::function<std::vector<LeaderReport>()>;

    BrokerRegistrar(boost::asio::io_context& io, raft::NodeHost& host, ControllerQuorum& quorum,
                    ControllerService& local, BrokerRegistrarOptions options);
    ~BrokerRegistrar();
    BrokerRegistrar(const BrokerRegistrar&) = delete;
    BrokerRegistrar& operator=(const BrokerRegistrar&) = delete;

    // The partitions this node leads; called on this io_context before every heartbeat.
    void set_report_source(ReportSource source);
    void start();
    void stop();

    // Sends one heartbeat now unless one is in flight (the timer calls it).
    void beat();

    // The epoch the controller registered this incarnation with (-1 before), and whether it is
    // fenced, as of the last answered heartbeat.
    int64_t broker_epoch() const { return epoch_; }
    bool fenced() const { return fenced_; }
    // The controller quorum leader as last seen (-1 none); any thread.
    int32_t controller_id() const { return controller_id_.load(); }

  private:
    struct Timer;
    void on_answer(uint64_t seq, common::Result<BrokerHeartbeatResponse> answer);
    void arm_timer();

    boost::asio::io_context& io_;
    raft::NodeHost& host_;
    ControllerQuorum& quorum_;
    ControllerService& local_;
    BrokerRegistrarOptions options_;
    ReportSource reports_;
    int64_t epoch_ = -1;
    bool fenced_ = true;
    uint64_t seq_ = 0;  // the heartbeat in flight; answers to older ones are ignored
    bool in_flight_ = false;
    std::chrono::steady_clock::time_point sent_at_{};
    bool running_ = false;
    std::atomic<int32_t> controller_id_{-1};
    std::unique_ptr<Timer> timer_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace broker::cluster
