#pragma once
// LogStorage: where one node of one group keeps its log, snapshot, term and vote.
//
// Mutations (append, truncate_suffix, save_hard_state, save_snapshot) return at once and are
// visible to the reads right away, but are durable only once a flush that was requested after
// them completes: flush(seq) asks for durability of every mutation issued before it, and the
// storage's owner later reports completion by calling RaftNode::on_flushed(seq) — never from
// inside flush(). Completions arrive in seq order. A crash may lose any mutation not covered by
// a completed flush; each mutation is atomic (whole or not at all), and a lost mutation takes
// every later one with it for the log (a crash leaves a prefix of the log's mutations).
// The node never acts on what is not durable: it votes and acknowledges only after the flush
// covering the vote or the entries completes.
//
// A mutation that fails (I/O error) returns an error; the node then stops (fail-stop).
// Implementations: MemLogStorage (tests, simulator), DiskLogStorage (production).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "broker/raft/membership.h"
#include "broker/raft/types.h"
#include "common/result.h"

namespace broker::raft {

class LogStorage {
  public:
    virtual ~LogStorage() = default;

    // ---- reads (see every mutation issued so far) ----
    virtual HardState hard_state() const = 0;
    // The latest snapshot (index 0 when none; may still carry the initial membership).
    virtual const SnapshotMeta& snapshot_meta() const = 0;
    // Index of the last entry; snapshot_meta().index when the log holds no entry.
    virtual Index last_index() const = 0;
    // First index still in the log (snapshot_meta().index + 1; > last_index() when empty).
    Index first_index() const { return snapshot_meta().index + 1; }
    // Term of the entry at `index`: snapshot term for the snapshot index, Term(0) for index 0,
    // Errc::Compacted below the snapshot, Errc::Unavailable past last_index().
    virtual common::Result<Term> term_at(Index index) const = 0;
    // Entries [from, to] (inclusive), stopping early once max_bytes of payload is reached but
    // always returning at least one entry. Errc::Compacted / Errc::Unavailable as above.
    virtual common::Result<std::vector<Entry>> read(Index from, Index to,
                                                    size_t max_bytes) const = 0;
    // The data of the latest snapshot (empty when there is none).
    virtual common::Result<Bytes> read_snapshot() const = 0;

    // ---- mutations (durable after a completed flush) ----
    // Appends entries; the first must have index last_index() + 1, the rest follow one by one.
    virtual common::Result<void> append(std::span<const Entry> entries) = 0;
    // Removes entries from `from` (> snapshot index) to the end.
    virtual common::Result<void> truncate_suffix(Index from) = 0;
    virtual common::Result<void> save_hard_state(const HardState& state) = 0;
    // Makes `meta`/`data` the snapshot. Entries up to meta.index are dropped; if the log does
    // not hold meta.index with meta.term, every entry is dropped (the log restarts after the
    // snapshot). Atomic with respect to crashes: the old snapshot and log, or the new ones.
    virtual common::Result<void> save_snapshot(const SnapshotMeta& meta, Bytes data) = 0;
    // Requests durability of everything issued so far; completion is reported as on_flushed(seq).
    virtual void flush(uint64_t seq) = 0;
};

}  // namespace broker::raft
