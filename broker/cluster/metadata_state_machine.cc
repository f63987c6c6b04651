#include "broker/cluster/metadata_state_machine.h"

#include "common/log.h"

namespace broker::cluster {

void MetadataStateMachine::apply(const raft::Entry& entry) {
    if (entry.type != raft::EntryType::Data) return;  // noops and membership carry no metadata
    cache_.apply_entry(entry.index, entry.payload);
}

common::Result<raft::Bytes> MetadataStateMachine::take_snapshot() {
    return cache_.current()->snapshot();
}

common::Result<void> MetadataStateMachine::restore_snapshot(const raft::SnapshotMeta& meta,
                                                            const raft::Bytes& data) {
    if (data.empty()) {
        // A group's initial snapshot (index 0) carries only its membership: start empty.
        return cache_.restore(MetadataState().snapshot());
    }
    if (auto restored = cache_.restore(data); !restored) {
        common::log::get("metadata")
            ->error("cannot restore the metadata snapshot at index {}: {}", meta.index,
                    restored.error().message());
        return restored.error();
    }
    return common::ok();
}

}  // namespace broker::cluster
