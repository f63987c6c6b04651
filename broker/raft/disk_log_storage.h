#pragma once
// DiskLogStorage: LogStorage on disk through the FileIo seam (PosixFileIo in production,
// FakeFileIo in crash tests). One directory per node per group holding
//   - the log as segment files of CRC32C-checked entry records (disk_log_format.h), rolled at
//     segment_bytes;
//   - `hard_state` (term, vote) and `snapshot` (meta + data), each replaced atomically.
//
// Group commit: mutations go to the page cache at once; flush(seq) only records the request and,
// the first time after a sync, asks the owner (via the scheduler given at open) to call
// sync_now() later on the same thread. One sync_now() makes every mutation issued so far
// durable with one fdatasync per dirty file — however many appends and flushes came before it —
// and returns the highest seq it covers, which the owner passes to RaftNode::on_flushed().
// truncate_suffix and save_snapshot are rare and are made durable before they return, after
// syncing what came before them, so a crash always leaves a prefix of the mutations.
//
// Recovery (open) reads every segment, cuts a torn or corrupt tail at the first record that is
// short, fails its CRC or does not continue the log, drops later segments, and drops entries
// the snapshot covers (all of them when the log disagrees with the snapshot).
// Owned by whoever owns the node; single-threaded (the node's thread).

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "broker/raft/log_storage.h"
#include "broker/storage/file_io.h"

namespace broker::raft {

struct DiskLogStorageOptions {
    uint64_t segment_bytes = 64u << 20;  // roll the active segment past this size
    uint32_t max_entry_bytes = 64u << 20;
};

class DiskLogStorage final : public LogStorage {
  public:
    // Called by flush() when a sync is wanted and none is pending; it must arrange for
    // sync_now() to run later on this thread (e.g. asio::post), never call it inline.
    using SyncScheduler = std::function<void()>;

    // Opens (creating when missing) the storage in `dir` and recovers it. A group's founding
    // members pass its initial membership: stored as the snapshot at index 0 on first open.
    [[nodiscard]] static common::Result<std::unique_ptr<DiskLogStorage>> open(
        storage::FileIo& io, const std::string& dir, const Membership& initial,
        SyncScheduler scheduler, DiskLogStorageOptions options = {});
    ~DiskLogStorage() override;

    HardState hard_state() const override { return hard_state_; }
    const SnapshotMeta& snapshot_meta() const override { return snapshot_; }
    Index last_index() const override;
    common::Result<Term> term_at(Index index) const override;
    common::Result<std::vector<Entry>> read(Index from, Index to, size_t max_bytes) const override;
    common::Result<Bytes> read_snapshot() const override;

    common::Result<void> append(std::span<const Entry> entries) override;
    common::Result<void> truncate_suffix(Index from) override;
    common::Result<void> save_hard_state(const HardState& state) override;
    common::Result<void> save_snapshot(const SnapshotMeta& meta, Bytes data) override;
    void flush(uint64_t seq) override;

    // Makes every mutation so far durable. Returns the highest seq passed to flush() since the
    // last sync (nullopt when none was asked for). After an I/O error every later call fails.
    // Equivalent to end_sync(w, w.run()) with w = begin_sync().
    [[nodiscard]] common::Result<std::optional<uint64_t>> sync_now();

    // The same in three steps, so the fdatasyncs can run off the owner's thread: begin_sync()
    // (owner thread) takes what the mutations so far left to make durable; SyncWork::run() does
    // the I/O on any thread (one run at a time per storage; it shares nothing with the storage
    // but a lock); end_sync() (owner thread) records the outcome and returns the seq covered.
    struct SyncWork {
        std::vector<std::shared_ptr<storage::File>> files;
        bool dir = false;
        std::optional<HardState> hard_state;
        std::optional<uint64_t> seq;
        storage::FileIo* io = nullptr;
        std::string path;
        std::shared_ptr<std::mutex> lock;  // serializes hard_state writes with the owner's
        [[nodiscard]] common::Result<void> run() const;
    };
    SyncWork begin_sync();
    [[nodiscard]] common::Result<std::optional<uint64_t>> end_sync(const SyncWork& work,
                                                                   common::Result<void> outcome);
    // Entries recovery cut from a torn or corrupt tail at open (tests, logs).
    uint64_t recovered_cut_bytes() const { return cut_bytes_; }

  private:
    struct Segment {
        Index first = 0;
        std::shared_ptr<storage::File> file;
        bool dirty = false;  // written since its last sync
    };
    // Where an entry lives: its term, its segment's file (kept open by segments_) and bytes.
    struct Location {
        Term term;
        storage::File* file = nullptr;
        uint64_t pos = 0;
        uint32_t size = 0;
    };

    DiskLogStorage(storage::FileIo& io, std::string dir, SyncScheduler scheduler,
                   DiskLogStorageOptions options);
    common::Result<void> recover(const Membership& initial);
    common::Result<void> recover_segments();
    common::Result<void> load_segment(Index first, bool& stop);
    common::Result<void> forget_covered_entries();
    common::Result<void> drop_unused_segments();
    common::Result<void> open_new_segment(Index first);
    common::Result<void> write_to_active(std::vector<uint8_t>& buffer);
    common::Result<void> sync_files();
    common::Result<Entry> read_one(Index index) const;
    // Records an I/O failure (the node stops) and returns it.
    std::error_code fail(std::error_code ec);

    storage::FileIo& io_;
    std::string dir_;
    SyncScheduler scheduler_;
    DiskLogStorageOptions options_;
    HardState hard_state_;
    bool hard_state_dirty_ = false;
    SnapshotMeta snapshot_;
    mutable std::optional<Bytes> snapshot_data_;  // cached: a leader reads it once per chunk
    std::vector<Segment> segments_;   // ascending by first index; the last one is active
    std::deque<Location> locations_;  // entries snapshot_.index + 1 .. last_index()
    Index loaded_first_ = 1;          // during recovery only: index of locations_.front()
    bool dir_dirty_ = false;          // a segment was created since the last directory sync
    std::optional<uint64_t> pending_seq_;
    bool sync_scheduled_ = false;
    std::shared_ptr<std::mutex> sync_lock_ = std::make_shared<std::mutex>();
    bool failed_ = false;
    uint64_t cut_bytes_ = 0;
};

}  // namespace broker::raft
