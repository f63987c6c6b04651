#include "broker/cluster/controller_quorum.h"

#include "broker/cluster/errc.h"
#include "broker/raft/raft_runtime.h"
#include "common/asio.h"
#include "common/errc.h"
#include "common/log.h"

namespace broker::cluster {
namespace {

ControllerResult not_controller() {
    return ControllerResult{
        make_error_code(Errc::NotController), "This node is not the active controller.", {}};
}

}  // namespace

ControllerQuorum::ControllerQuorum(boost::asio::io_context& io, raft::NodeHost& host,
                                   ControllerQuorumOptions options)
    : io_(io), options_(std::move(options)), state_machine_(cache_), host_(host) {}

ControllerQuorum::~ControllerQuorum() {
    *alive_ = false;
    stop();
}

common::Result<void> ControllerQuorum::start(const raft::Membership& voters) {
    raft::GroupSpec spec;
    spec.config.group = raft::kControllerGroup;
    spec.config.self = raft::NodeId(options_.node_id);
    spec.config.election_timeout_min = options_.election_timeout_min;
    spec.config.election_timeout_max = options_.election_timeout_max;
    spec.config.seed = static_cast<uint64_t>(options_.node_id) * 7919 + 1;
    spec.dir = options_.dir;
    spec.state_machine = &state_machine_;
    spec.initial = voters;
    auto alive = alive_;
    spec.callbacks.on_status_change = [this, alive](const raft::NodeStatus& status) {
        common::asio::post(io_, [this, alive, status] {
            if (*alive) on_status(status);
        });
    };
    spec.callbacks.on_commit = [this, alive](raft::Index) {
        common::asio::post(io_, [this, alive] {
            if (*alive) on_commit();
        });
    };
    TRIBUTARY_TRY(node, host_.add_group(std::move(spec)));
    node_ = node;
    return common::ok();
}

void ControllerQuorum::stop() {
    if (node_ == nullptr) return;
    node_ = nullptr;
    host_.remove_group(raft::kControllerGroup);
    fail_all();
}

int32_t ControllerQuorum::leader() const {
    return node_ ? node_->leader().value() : -1;
}

bool ControllerQuorum::is_leader() const {
    return node_ != nullptr && node_->is_leader();
}

int64_t ControllerQuorum::term() const {
    return node_ ? node_->term().value() : 0;
}

bool ControllerQuorum::leader_ready() const {
    return node_ != nullptr && node_->is_leader() && node_->leader_ready();
}

namespace {

std::string voter_list(const raft::Membership& m) {
    std::string out;
    for (raft::NodeId voter : m.voters) {
        out += (out.empty() ? "" : ",") + std::to_string(voter.value());
    }
    return "[" + out + "]";
}

}  // namespace

std::string voter_set_conflict(const raft::Membership& stored, const raft::Membership& configured) {
    if (stored.voters.empty() || stored.voters == configured.voters) return "";
    return "controller.quorum.voters names voters " + voter_list(configured) +
           " but this node's metadata log was formed by voters " + voter_list(stored) +
           "; the controller quorum's voters cannot change: start it with the voters it was "
           "formed with";
}

raft::Membership ControllerQuorum::membership() const {
    return node_ ? node_->membership() : raft::Membership{};
}

common::Result<void> ControllerQuorum::change_learners(const LearnerChange& change) {
    if (node_ == nullptr) return make_error_code(Errc::NotController);
    const raft::NodeId id(change.broker_id);
    const bool add = change.kind == LearnerChange::Kind::Add;
    if (!add && !node_->membership().is_learner(id)) return common::Errc::InvalidArgument;
    auto changed = add ? node_->add_learner(id) : node_->remove_member(id);
    if (!changed) return changed.error();
    common::log::get("controller")
        ->info("controller quorum: {} broker {} {} learner (broker-only node), entry {}",
               add ? "adding" : "removing", change.broker_id, add ? "as a" : "as",
               changed.value().index);
    return common::ok();
}

void ControllerQuorum::submit(Command command, Done done) {
    queue_.push_back(Pending{std::move(command), std::move(done), {}, {}});
    pump();
}

void ControllerQuorum::on_status(const raft::NodeStatus& status) {
    common::log::get("controller")
        ->info("controller quorum: node {} term {} leader {}", options_.node_id,
               status.term.value(), status.leader.value());
    if (status.role != raft::Role::Leader) fail_all();
    pump();
}

void ControllerQuorum::on_commit() {
    pump();
}

void ControllerQuorum::fail_all() {
    auto failed = std::move(queue_);
    queue_.clear();
    in_flight_ = false;
    for (auto& p : failed) {
        if (p.done) p.done(not_controller());
    }
}

void ControllerQuorum::claim_cluster_id() {
    if (options_.cluster_id.empty() || node_ == nullptr || !node_->leader_ready()) return;
    const int64_t term = node_->term().value();
    if (claimed_in_term_ == term || !cache_.current()->cluster_id().empty()) return;
    claimed_in_term_ = term;
    auto id = options_.cluster_id;
    auto log = common::log::get("controller");
    queue_.push_back(Pending{[id](const Controller& c) { return c.claim_cluster_id(id); },
                             [id, log](const ControllerResult& result) {
                                 if (!result) {
                                     log->info("cluster id {} not committed: {}", id,
                                               result.message);
                                 } else if (!result.records.empty()) {
                                     log->info("committed cluster id {}", id);
                                 }
                             },
                             {},
                             {}});
}

void ControllerQuorum::pump() {
    claim_cluster_id();
    while (!queue_.empty()) {
        Pending& front = queue_.front();
        if (in_flight_) {
            if (node_ == nullptr || node_->applied_index() < front.position.index) return;
            // Applied. Ours only if this node still leads in the term it proposed in.
            bool ours = node_->is_leader() && node_->term() == front.position.term;
            auto done = std::move(front.done);
            auto result = ours ? std::move(front.result) : not_controller();
            queue_.pop_front();
            in_flight_ = false;
            if (done) done(std::move(result));
            continue;
        }
        if (node_ == nullptr || !node_->is_leader()) {
            fail_all();
            return;
        }
        if (!node_->leader_ready()) return;  // wait for the first commit of this term
        front.result = front.command(Controller(*cache_.current(), options_.settings));
        if (!front.result || front.result.records.empty()) {
            auto done = std::move(front.done);
            auto result = std::move(front.result);
            queue_.pop_front();
            if (done) done(std::move(result));
            continue;
        }
        auto proposed = node_->propose(encode_batch(front.result.records));
        if (!proposed) {
            fail_all();
            return;
        }
        front.position = proposed.value();
        in_flight_ = true;
    }
}

}  // namespace broker::cluster
