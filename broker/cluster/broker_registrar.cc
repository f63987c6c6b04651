#include "broker/cluster/broker_registrar.h"

#include <algorithm>

#include "common/asio.h"
#include "common/log.h"

namespace broker::cluster {

using common::protocol::ErrorCode;

struct BrokerRegistrar::Timer {
    explicit Timer(boost::asio::io_context& io) : timer(io) {}
    common::asio::steady_timer timer;
};

BrokerRegistrar::BrokerRegistrar(boost::asio::io_context& io, raft::NodeHost& host,
                                 ControllerQuorum& quorum, ControllerService& local,
                                 BrokerRegistrarOptions options)
    : io_(io),
      host_(host),
      quorum_(quorum),
      local_(local),
      options_(std::move(options)),
      timer_(std::make_unique<Timer>(io)) {}

BrokerRegistrar::~BrokerRegistrar() {
    *alive_ = false;
    stop();
}

void BrokerRegistrar::set_report_source(ReportSource source) {
    reports_ = std::move(source);
}

void BrokerRegistrar::start() {
    running_ = true;
    arm_timer();
}

void BrokerRegistrar::stop() {
    running_ = false;
    timer_->timer.cancel();
}

void BrokerRegistrar::beat() {
    int32_t leader = quorum_.leader();
    controller_id_.store(leader);
    auto now = std::chrono::steady_clock::now();
    if (!running_ || leader < 0 || (in_flight_ && now - sent_at_ < options_.timeout)) return;
    BrokerHeartbeat heartbeat{options_.node_id, options_.incarnation_id, epoch_,
                              options_.rack,    options_.endpoints,      {}};
    if (reports_) heartbeat.reports = reports_();
    uint64_t seq = ++seq_;
    in_flight_ = true;
    sent_at_ = now;
    auto alive = alive_;
    if (leader == options_.node_id) {
        local_.handle(heartbeat, [this, alive, seq](BrokerHeartbeatResponse response) {
            if (*alive) on_answer(seq, response);
        });
        return;
    }
    host_.call(raft::NodeId(leader), encode_heartbeat(heartbeat),
               std::chrono::duration_cast<raft::Millis>(options_.timeout),
               [this, alive, seq](common::Result<std::vector<uint8_t>> body) {
                   if (!*alive) return;
                   if (!body) {
                       on_answer(seq, body.error());
                       return;
                   }
                   on_answer(seq, decode_heartbeat_response(body.value()));
               });
}

void BrokerRegistrar::on_answer(uint64_t seq, common::Result<BrokerHeartbeatResponse> answer) {
    if (seq != seq_) return;
    in_flight_ = false;
    auto log = common::log::get("controller");
    if (!answer) {
        log->debug("broker heartbeat: {}", answer.error().message());
        return;
    }
    const auto& response = answer.value();
    if (response.error != ErrorCode::None) {
        log->debug("broker heartbeat: error {}", static_cast<int>(response.error));
        return;
    }
    if (response.broker_epoch != epoch_ || response.fenced != fenced_) {
        log->info("broker {}: registered with epoch {}, {}", options_.node_id,
                  response.broker_epoch, response.fenced ? "fenced" : "unfenced");
    }
    epoch_ = response.broker_epoch;
    fenced_ = response.fenced;
}

void BrokerRegistrar::arm_timer() {
    if (!running_) return;
    // Until unfenced, beat often: this broker serves clients only once the controller has
    // registered and unfenced it, so its start-up waits on these answers.
    constexpr std::chrono::milliseconds kFencedInterval{100};
    timer_->timer.expires_after(fenced_ ? std::min(options_.interval, kFencedInterval)
                                        : options_.interval);
    timer_->timer.async_wait([this, alive = alive_](boost::system::error_code ec) {
        if (ec || !*alive || !running_) return;
        beat();
        arm_timer();
    });
}

}  // namespace broker::cluster
