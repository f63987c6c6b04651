#include "broker/cluster/controller_service.h"

#include "broker/cluster/control_body.h"
#include "broker/cluster/errc.h"
#include "common/asio.h"
#include "common/errc.h"
#include "common/log.h"

namespace broker::cluster {
namespace {

using common::protocol::ErrorCode;

ErrorCode to_error_code(const std::error_code& error) {
    if (error == make_error_code(Errc::NotController)) return ErrorCode::NotController;
    if (error == make_error_code(common::Errc::InvalidArgument)) return ErrorCode::InvalidRequest;
    return ErrorCode::UnknownServerError;
}

BrokerHeartbeatResponse not_controller() {
    return BrokerHeartbeatResponse{ErrorCode::NotController, -1, true};
}

}  // namespace

struct ControllerService::Timer {
    explicit Timer(boost::asio::io_context& io) : timer(io) {}
    common::asio::steady_timer timer;
};

ControllerService::ControllerService(boost::asio::io_context& io, ControllerQuorum& quorum,
                                     ControllerServiceOptions options)
    : io_(io),
      quorum_(quorum),
      options_(std::move(options)),
      liveness_(options_.session_timeout),
      timer_(std::make_unique<Timer>(io)) {}

ControllerService::~ControllerService() {
    *alive_ = false;
    stop();
}

void ControllerService::start(raft::NodeHost& host) {
    host_ = &host;
    host.set_control_handler([this, alive = alive_](raft::NodeId from,
                                                    std::span<const uint8_t> body,
                                                    raft::ControlReply reply) {
        if (!*alive) return true;
        auto heartbeat = decode_heartbeat(body);
        // A broker heartbeats for itself only.
        if (!heartbeat || heartbeat.value().broker_id != from.value()) return false;
        handle(heartbeat.value(), [reply = std::move(reply)](BrokerHeartbeatResponse response) {
            reply(encode_heartbeat_response(response));
        });
        return true;
    });
    host.set_control_handler(
        kQuorumJoinType, [this, alive = alive_](raft::NodeId from, std::span<const uint8_t> body,
                                                raft::ControlReply reply) {
            if (!*alive) return true;
            auto request = decode_quorum_join(body);
            // A node asks for itself only.
            if (!request || request.value().node_id != from.value()) return false;
            reply(encode_quorum_join_response(join(request.value())));
            return true;
        });
    arm_timer();
}

void ControllerService::stop() {
    if (host_ != nullptr) host_->set_control_handler(kQuorumJoinType, {});
    if (host_ != nullptr) host_->set_control_handler({});
    host_ = nullptr;
    timer_->timer.cancel();
}

BrokerLiveness::Clock::time_point ControllerService::now() const {
    return options_.now ? options_.now() : BrokerLiveness::Clock::now();
}

bool ControllerService::leading() {
    if (!quorum_.is_leader()) {
        led_term_ = -1;
        return false;
    }
    if (quorum_.term() != led_term_) {
        led_term_ = quorum_.term();
        reset_pending_ = true;
    }
    if (reset_pending_ && quorum_.leader_ready()) {
        liveness_.reset(*quorum_.cache().current(), now());
        reset_pending_ = false;
    }
    return true;
}

void ControllerService::handle(const BrokerHeartbeat& heartbeat, Respond respond) {
    if (!leading()) {
        respond(not_controller());
        return;
    }
    auto state = quorum_.cache().current();
    const auto* b = state->broker(heartbeat.broker_id);
    if (b == nullptr || b->incarnation_id != heartbeat.incarnation_id) {
        register_broker(heartbeat, std::move(respond));
        return;
    }
    liveness_.heartbeat(b->id, b->epoch, now());
    if (!b->fenced && !heartbeat.reports.empty()) report(b->id, heartbeat.reports);
    respond(BrokerHeartbeatResponse{ErrorCode::None, b->epoch, b->fenced});
}

void ControllerService::register_broker(const BrokerHeartbeat& heartbeat, Respond respond) {
    BrokerRegistrationRequest request{heartbeat.broker_id, heartbeat.incarnation_id, heartbeat.rack,
                                      heartbeat.endpoints};
    int32_t id = heartbeat.broker_id;
    Uuid incarnation = heartbeat.incarnation_id;
    auto done = [this, alive = alive_, id, incarnation,
                 respond = std::move(respond)](ControllerResult result) {
        if (!*alive) return;
        if (!result) {
            respond(BrokerHeartbeatResponse{to_error_code(result.error), -1, true});
            return;
        }
        auto state = quorum_.cache().current();
        const auto* b = state->broker(id);
        if (b == nullptr || b->incarnation_id != incarnation) {
            respond(BrokerHeartbeatResponse{ErrorCode::UnknownServerError, -1, true});
            return;
        }
        if (!result.records.empty()) {
            common::log::get("controller")
                ->info("broker {} registered with epoch {} (fenced)", id, b->epoch);
        }
        liveness_.heartbeat(id, b->epoch, now());
        respond(BrokerHeartbeatResponse{ErrorCode::None, b->epoch, b->fenced});
    };
    quorum_.submit([request](const Controller& c) { return c.register_broker(request); },
                   std::move(done));
}

void ControllerService::report(int32_t broker_id, std::vector<LeaderReport> reports) {
    if (!reporting_.insert(broker_id).second) return;  // the next heartbeat carries them again
    quorum_.submit([broker_id, reports = std::move(reports)](
                       const Controller& c) { return c.report_leadership(broker_id, reports); },
                   [this, alive = alive_, broker_id](const ControllerResult&) {
                       if (*alive) reporting_.erase(broker_id);
                   });
}

void ControllerService::check() {
    if (!leading() || reset_pending_) return;
    auto state = quorum_.cache().current();
    update_learners(*state);
    if (fencing_in_flight_ > 0) return;
    auto at = now();
    for (const auto& due : liveness_.to_fence(*state, at)) submit_fencing(due.id, due.epoch, true);
    for (const auto& due : liveness_.to_unfence(*state, at)) {
        submit_fencing(due.id, due.epoch, false);
    }
}

ErrorCode ControllerService::join(const QuorumJoinRequest& request) {
    if (!leading()) return ErrorCode::NotController;
    const raft::NodeId id(request.node_id);
    const auto membership = quorum_.membership();
    if (membership.is_voter(id)) return ErrorCode::InvalidRequest;
    // Its Raft listener, so this leader heartbeats it before its registration names it.
    if (host_ != nullptr && !request.host.empty() && request.port != 0) {
        host_->set_peer(id, request.host, request.port);
    }
    if (membership.is_learner(id)) return ErrorCode::None;
    auto added = quorum_.change_learners({LearnerChange::Kind::Add, request.node_id});
    if (!added) {
        common::log::get("controller")
            ->debug("broker-only node {} waits to join: {}", request.node_id,
                    added.error().message());
        return ErrorCode::RequestTimedOut;  // a change in flight or not ready: asked again
    }
    return ErrorCode::None;
}

void ControllerService::update_learners(const MetadataState& state) {
    auto change = next_learner_change(quorum_.membership(), state);
    if (!change) return;
    if (auto changed = quorum_.change_learners(*change); !changed) {
        // A change in flight or a leader not ready yet: the next check tries again.
        common::log::get("controller")
            ->debug("controller quorum learner change for broker {} waits: {}", change->broker_id,
                    changed.error().message());
    }
}

void ControllerService::submit_fencing(int32_t id, int64_t epoch, bool fence) {
    ++fencing_in_flight_;
    auto command = [id, epoch, fence](const Controller& c) {
        return fence ? c.fence_broker(id, epoch) : c.unfence_broker(id, epoch);
    };
    quorum_.submit(command, [this, alive = alive_, id, epoch, fence](const ControllerResult& r) {
        if (!*alive) return;
        --fencing_in_flight_;
        auto log = common::log::get("controller");
        if (!r) {
            log->info("{} broker {} epoch {}: {}", fence ? "fencing" : "unfencing", id, epoch,
                      r.message);
        } else {
            log->info("broker {} epoch {} {}", id, epoch,
                      fence ? "fenced: its session expired" : "unfenced: it heartbeats");
        }
    });
}

void ControllerService::arm_timer() {
    timer_->timer.expires_after(options_.check_interval);
    timer_->timer.async_wait([this, alive = alive_](boost::system::error_code ec) {
        if (ec || !*alive || host_ == nullptr) return;
        check();
        arm_timer();
    });
}

}  // namespace broker::cluster
