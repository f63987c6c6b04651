#pragma once
// MemLogStorage: LogStorage in memory, for unit tests and the simulator. It keeps the live image
// (every mutation) and the durable image (as of the last completed flush), plus the image each
// pending flush will make durable, so that crash() can lose exactly what a disk may lose.
// Flushes complete only when the owner says so (complete_next_flush / complete_all_flushes) and
// reports them to the node itself. Single-threaded; owned by the test or the simulated node.

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "broker/raft/log_storage.h"

namespace broker::raft {

class MemLogStorage final : public LogStorage {
  public:
    // One consistent state of the storage. entries[i].index == snapshot.index + 1 + i.
    struct Image {
        HardState hard_state;
        SnapshotMeta snapshot;
        Bytes snapshot_data;
        std::vector<Entry> entries;
    };

    MemLogStorage() = default;

    HardState hard_state() const override { return live_.hard_state; }
    const SnapshotMeta& snapshot_meta() const override { return live_.snapshot; }
    Index last_index() const override;
    common::Result<Term> term_at(Index index) const override;
    common::Result<std::vector<Entry>> read(Index from, Index to, size_t max_bytes) const override;
    common::Result<Bytes> read_snapshot() const override { return live_.snapshot_data; }

    common::Result<void> append(std::span<const Entry> entries) override;
    common::Result<void> truncate_suffix(Index from) override;
    common::Result<void> save_hard_state(const HardState& state) override;
    common::Result<void> save_snapshot(const SnapshotMeta& meta, Bytes data) override;
    void flush(uint64_t seq) override;

    // Flushes requested and not yet completed, oldest first.
    size_t pending_flush_count() const { return pending_.size(); }
    // Completes the oldest pending flush; returns its seq (to pass to RaftNode::on_flushed).
    std::optional<uint64_t> complete_next_flush();
    // Completes every pending flush; returns the last seq.
    std::optional<uint64_t> complete_all_flushes();

    // A crash: the live image becomes what survived. keep = 0 keeps only what completed flushes
    // covered; keep = k (1..pending_flush_count()) keeps the image of the k-th pending flush
    // (its write reached the disk, its completion did not reach us); keep >
    // pending_flush_count() keeps everything (unsynced writes happened to reach the disk).
    // Pending flushes are forgotten.
    void crash(size_t keep = 0);

    const Image& live() const { return live_; }
    const Image& durable() const { return durable_; }

  private:
    Image live_;
    Image durable_;
    std::deque<std::pair<uint64_t, Image>> pending_;
};

}  // namespace broker::raft
