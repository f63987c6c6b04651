#pragma once
// SimStateMachine: the state machine of the Raft simulation. Its state is the applied index and
// a digest chained over every applied entry, so two replicas with equal digests applied the same
// sequence. Reports every apply and restore to the Checker. Owned by one simulated node
// incarnation (a crash discards it, as a process loses its memory).

#include "broker/raft/state_machine.h"
#include "tests/broker/raft/sim/sim_checker.h"

namespace broker::raft::sim {

class SimStateMachine final : public StateMachine {
  public:
    SimStateMachine(NodeId id, Checker& checker) : id_(id), checker_(checker) {}

    void apply(const Entry& entry) override;
    common::Result<Bytes> take_snapshot() override;
    common::Result<void> restore_snapshot(const SnapshotMeta& meta, const Bytes& data) override;

    Index applied() const { return applied_; }
    uint64_t digest() const { return digest_; }

  private:
    NodeId id_;
    Checker& checker_;
    Index applied_ = 0;
    uint64_t digest_ = 0;
};

}  // namespace broker::raft::sim
