#pragma once
// StateMachine: what a Raft group replicates into (the controller's metadata, later a partition).
// Called only from the thread/shard that owns the RaftNode, never concurrently.

#include <cstddef>
#include <cstdint>

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

    // ---- Sending a snapshot to a follower (docs/raft.md, "Snapshots") ----
    // A transfer is a sequence of chunks, each addressed by a cursor that the follower chooses
    // (its answer names the cursor it wants next; the first chunk is at cursor 0). The defaults
    // move the stored snapshot bytes as they are (cursor = byte offset). A machine whose state
    // lives outside the snapshot (a partition's Kafka log) overrides both to stream it.
    struct SnapshotChunk {
        Bytes data;
        bool done = false;  // nothing follows this chunk
    };
    struct ChunkReceived {
        uint64_t next_cursor = 0;  // the chunk wanted next
        bool complete = false;     // install now: restore_snapshot(meta, stored)
    };
    // Leader: the chunk at `cursor` of the snapshot `meta` whose stored bytes are `stored`, about
    // `max_bytes` long.
    virtual common::Result<SnapshotChunk> read_snapshot_chunk(const SnapshotMeta& meta,
                                                              const Bytes& stored, uint64_t cursor,
                                                              size_t max_bytes);
    // Follower: consumes the chunk at `cursor` (`last`: the leader sends nothing after it) and
    // builds in `stored` the bytes to restore and store once complete. An error stops the node.
    virtual common::Result<ChunkReceived> receive_snapshot_chunk(const SnapshotMeta& meta,
                                                                 uint64_t cursor,
                                                                 const Bytes& chunk, bool last,
                                                                 Bytes& stored);
};

}  // namespace broker::raft
