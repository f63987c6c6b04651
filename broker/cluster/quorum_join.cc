#include "broker/cluster/quorum_join.h"

#include "broker/cluster/control_body.h"
#include "common/asio.h"
#include "common/errc.h"
#include "common/log.h"

namespace broker::cluster {
namespace {

using common::protocol::ErrorCode;
using common::protocol::Reader;
using common::protocol::Writer;

constexpr int16_t kVersion = 0;
constexpr bool kCompact = false;

}  // namespace

std::vector<uint8_t> encode_quorum_join(const QuorumJoinRequest& request) {
    Writer w;
    write_body_head(w, kQuorumJoinType, kVersion);
    w.write_int32(request.node_id);
    w.write_string(request.host, kCompact);
    w.write_uint16(request.port);
    return w.take();
}

common::Result<QuorumJoinRequest> decode_quorum_join(std::span<const uint8_t> bytes) {
    Reader r(bytes);
    TRIBUTARY_TRY(read_body_head(r, kQuorumJoinType, kVersion));
    TRIBUTARY_TRY(id, r.read_int32());
    TRIBUTARY_TRY(host, r.read_string(kCompact));
    TRIBUTARY_TRY(port, r.read_uint16());
    if (!r.at_end()) return common::Errc::Malformed;
    return QuorumJoinRequest{id, std::move(host), port};
}

std::vector<uint8_t> encode_quorum_join_response(ErrorCode error) {
    Writer w;
    write_body_head(w, kQuorumJoinResponseType, kVersion);
    w.write_int16(static_cast<int16_t>(error));
    return w.take();
}

common::Result<ErrorCode> decode_quorum_join_response(std::span<const uint8_t> bytes) {
    Reader r(bytes);
    TRIBUTARY_TRY(read_body_head(r, kQuorumJoinResponseType, kVersion));
    TRIBUTARY_TRY(error, r.read_int16());
    if (!r.at_end()) return common::Errc::Malformed;
    return static_cast<ErrorCode>(error);
}

struct QuorumJoiner::Timer {
    explicit Timer(boost::asio::io_context& io) : timer(io) {}
    common::asio::steady_timer timer;
};

QuorumJoiner::QuorumJoiner(boost::asio::io_context& io, raft::NodeHost& host,
                           ControllerQuorum& quorum, QuorumJoinerOptions options)
    : host_(host),
      quorum_(quorum),
      options_(std::move(options)),
      timer_(std::make_unique<Timer>(io)) {}

QuorumJoiner::~QuorumJoiner() {
    *alive_ = false;
    stop();
}

void QuorumJoiner::start() {
    running_ = true;
    tick();
    arm_timer();
}

void QuorumJoiner::stop() {
    running_ = false;
    timer_->timer.cancel();
}

void QuorumJoiner::tick() {
    if (!running_ || in_flight_ || options_.voters.empty()) return;
    // While it knows a leader that answered, it asks only every kSteadyTicks ticks (a leader
    // that died before committing this node's learner entry must not leave it stranded).
    constexpr uint64_t kSteadyTicks = 10;
    const int32_t leader = quorum_.leader();
    const bool steady = leader >= 0 && !failed_;
    if (steady && ++ticks_ % kSteadyTicks != 0) return;
    target_ = steady ? leader : options_.voters[guess_ % options_.voters.size()];
    in_flight_ = true;
    host_.call(raft::NodeId(target_), encode_quorum_join(options_.request),
               raft::Millis(std::max<int64_t>(options_.interval.count() * 5, 1000)),
               [this, alive = alive_](common::Result<std::vector<uint8_t>> body) {
                   if (!*alive) return;
                   if (!body) {
                       on_answer(body.error());
                       return;
                   }
                   on_answer(decode_quorum_join_response(body.value()));
               });
}

void QuorumJoiner::on_answer(common::Result<ErrorCode> answer) {
    in_flight_ = false;
    auto log = common::log::get("controller");
    if (answer && answer.value() == ErrorCode::None) {
        if (failed_ || !joined_) {
            log->info("controller {} has broker-only node {} in the quorum as a learner", target_,
                      options_.request.node_id);
        }
        failed_ = false;
        joined_ = true;
        return;
    }
    if (answer && answer.value() == ErrorCode::RequestTimedOut) return;  // ask it again
    if (answer && answer.value() == ErrorCode::InvalidRequest) {
        log->error("controller {} refuses node {} as a learner (a voter?)", target_,
                   options_.request.node_id);
    }
    log->debug(
        "joining the controller quorum through node {}: {}", target_,
        answer ? std::to_string(static_cast<int>(answer.value())) : answer.error().message());
    failed_ = true;
    ++guess_;  // not the leader, or no answer: ask the next voter
}

void QuorumJoiner::arm_timer() {
    if (!running_) return;
    timer_->timer.expires_after(options_.interval);
    timer_->timer.async_wait([this, alive = alive_](boost::system::error_code ec) {
        if (ec || !*alive || !running_) return;
        tick();
        arm_timer();
    });
}

}  // namespace broker::cluster
