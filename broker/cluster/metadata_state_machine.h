#pragma once
// MetadataStateMachine: the controller quorum's Raft state machine. Committed Data entries are
// metadata record batches applied to the MetadataCache; snapshots are MetadataState snapshots.
// Uses only raft's interface headers (state_machine.h, types.h, membership.h).

#include "broker/cluster/metadata_cache.h"
#include "broker/raft/state_machine.h"

namespace broker::cluster {

// Owned by whoever owns the controller's RaftNode; `cache` outlives it. Called on the node's
// thread only (raft::StateMachine's rule).
class MetadataStateMachine final : public raft::StateMachine {
  public:
    explicit MetadataStateMachine(MetadataCache& cache) : cache_(cache) {}

    void apply(const raft::Entry& entry) override;
    common::Result<raft::Bytes> take_snapshot() override;
    common::Result<void> restore_snapshot(const raft::SnapshotMeta& meta,
                                          const raft::Bytes& data) override;

  private:
    MetadataCache& cache_;
};

}  // namespace broker::cluster
