#pragma once
// ControllerQuorum: one node's member of the controller quorum (controller.quorum.voters). It
// runs the metadata Raft group (raft::kControllerGroup) on the broker's NodeHost (RaftRuntime)
// with a MetadataStateMachine feeding this node's MetadataCache, and, while this node leads,
// executes controller commands one at a time: compute the records from the applied state
// (Controller), propose them, and report once they are applied. A leader whose log has no
// cluster id yet commits its own first (ControllerQuorumOptions::cluster_id). Asio stays in the
// .cc.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "broker/cluster/controller.h"
#include "broker/cluster/metadata_cache.h"
#include "broker/cluster/metadata_state_machine.h"
#include "broker/cluster/quorum_learners.h"
#include "broker/raft/node_host.h"

namespace boost::asio {
class io_context;
}

namespace broker::cluster {

struct ControllerQuorumOptions {
    int32_t node_id = 0;
    std::string dir;  // the metadata log's directory (RaftRuntime::group_dir)
    ControllerSettings settings;
    // This node's meta.properties cluster id: as leader, it commits it when the log holds none
    // (Controller::claim_cluster_id). "" commits nothing (tests of other commands).
    std::string cluster_id;
    raft::Millis election_timeout_min{300};
    raft::Millis election_timeout_max{600};
};

// The controller quorum's voters are static (controller.quorum.voters, like Kafka's static
// quorum): a node whose metadata log was formed by other voters must not start with this
// configuration, or two sets of voters could each elect a controller and the log with fewer
// entries would overwrite the other. The error to report, naming both sets; "" when they agree or
// the log holds no membership yet (a fresh node, a broker-only node not yet added).
std::string voter_set_conflict(const raft::Membership& stored, const raft::Membership& configured);

// Lives on `io` (one thread, the NodeHost's): every member is called there, or before `io` runs.
// The io_context and the host outlive it.
class ControllerQuorum {
  public:
    using Command = std::function<ControllerResult(const Controller&)>;
    using Done = std::function<void(ControllerResult)>;

    ControllerQuorum(boost::asio::io_context& io, raft::NodeHost& host,
                     ControllerQuorumOptions options);
    ~ControllerQuorum();
    ControllerQuorum(const ControllerQuorum&) = delete;
    ControllerQuorum& operator=(const ControllerQuorum&) = delete;

    // Starts the group with these founding voters (the host already knows them as peers). A
    // broker-only node passes an empty membership: it joins as a learner once the active
    // controller adds it (quorum_learners.h), or finds its membership in its own log.
    [[nodiscard]] common::Result<void> start(const raft::Membership& voters);
    // Leaves the group on this host (the log stays on disk); pending commands fail.
    void stop();

    MetadataCache& cache() { return cache_; }
    // The current leader's node id, -1 when none is known.
    int32_t leader() const;
    bool is_leader() const;
    // The metadata group's current Raft term on this node (0 before start).
    int64_t term() const;
    // This node leads and has committed an entry of its term (earlier entries are applied).
    bool leader_ready() const;
    // The group's latest membership as this node knows it (empty before start).
    raft::Membership membership() const;
    // Leader only: adds or removes one learner (a broker-only node). One change at a time: a
    // refusal (a change in flight, not ready, not leading) is returned and retried by the caller.
    [[nodiscard]] common::Result<void> change_learners(const LearnerChange& change);

    // Runs `command` once every earlier one is done; `done` gets its result after its records are
    // applied here, or NotController when this node does not lead (or stops leading first).
    void submit(Command command, Done done);

  private:
    struct Pending {
        Command command;
        Done done;
        raft::LogPosition position;  // set once proposed
        ControllerResult result;
    };

    void on_status(const raft::NodeStatus& status);
    void on_commit();
    // Proposes the front command if none is in flight; finishes commands already applied.
    void pump();
    void fail_all();
    // Leading and ready with no cluster id in the log: queue claim_cluster_id, once per term.
    void claim_cluster_id();

    boost::asio::io_context& io_;
    ControllerQuorumOptions options_;
    MetadataCache cache_;
    MetadataStateMachine state_machine_;
    raft::NodeHost& host_;
    raft::RaftNode* node_ = nullptr;
    std::deque<Pending> queue_;  // the front is in flight once proposed
    bool in_flight_ = false;
    int64_t claimed_in_term_ = 0;  // the term a cluster id claim was queued in
    // Guards callbacks posted to io_ against running after destruction.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace broker::cluster
