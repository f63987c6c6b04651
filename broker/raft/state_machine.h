#pragma once
// StateMachine: what a Raft group replicates into (the controller's metadata, later a partition).
// Called only from the thread/shard that owns the RaftNode, never concurrently.

#include "broker/raft/membership.h"
#include "broker/raft/types.h"
#include "common/result.h"

namespace broker::raft {

class StateMachine {
  public:
    virtual ~StateMachine() = default;

    // Applies one committed entry. Every committed entry is passed once, in index order, whatever
    // its type (Noop and Configuration entries too, so the machine can track the applied
    // index; it ignores what it does not use). Must be deterministic, and a payload it cannot
    // use is handled inside (logged, skipped) — never a crash — identically on every replica.
    virtual void apply(const Entry& entry) = 0;

    // Serializes the state as of the last entry applied.
    virtual common::Result<Bytes> take_snapshot() = 0;

    // Replaces the whole state by a snapshot covering entries up to meta.index.
    virtual common::Result<void> restore_snapshot(const SnapshotMeta& meta, const Bytes& data) = 0;
};

}  // namespace broker::raft
