#include "broker/raft/disk_log_storage.h"

#include <algorithm>
#include <utility>

#include "broker/raft/disk_log_format.h"
#include "broker/raft/errc.h"
#include "common/errc.h"
#include "common/log.h"

namespace broker::raft {

using common::Result;
using storage::join_path;
using storage::OpenMode;

namespace {
auto& raft_log() {
    static auto logger = common::log::get("raft");
    return logger;
}
}  // namespace

DiskLogStorage::DiskLogStorage(storage::FileIo& io, std::string dir, SyncScheduler scheduler,
                               DiskLogStorageOptions options)
    : io_(io), dir_(std::move(dir)), scheduler_(std::move(scheduler)), options_(options) {}

DiskLogStorage::~DiskLogStorage() = default;

Result<std::unique_ptr<DiskLogStorage>> DiskLogStorage::open(storage::FileIo& io,
                                                             const std::string& dir,
                                                             const Membership& initial,
                                                             SyncScheduler scheduler,
                                                             DiskLogStorageOptions options) {
    std::unique_ptr<DiskLogStorage> s(new DiskLogStorage(io, dir, std::move(scheduler), options));
    auto recovered = s->recover(initial);
    if (!recovered) {
        raft_log()->error("raft log in {} cannot be opened: {}", dir, recovered.error().message());
        return recovered.error();
    }
    return s;
}

Result<void> DiskLogStorage::recover(const Membership& initial) {
    TRIBUTARY_TRY(io_.create_dirs(dir_));
    TRIBUTARY_TRY(names, io_.list_dir(dir_));
    for (const auto& name : names) {
        if (name.ends_with(".tmp")) {
            TRIBUTARY_TRY(io_.remove_file(join_path(dir_, name)));
        }
    }
    auto hard = disk::read_whole_file(io_, join_path(dir_, disk::kHardStateFile));
    if (hard) {
        TRIBUTARY_TRY(state, disk::decode_hard_state(hard.value()));
        hard_state_ = state;
    } else if (hard.error() != common::Errc::NotFound) {
        return hard.error();
    }
    auto snap = disk::read_whole_file(io_, join_path(dir_, disk::kSnapshotFile));
    if (snap) {
        TRIBUTARY_TRY(file, disk::decode_snapshot(snap.value()));
        snapshot_ = std::move(file.meta);
    } else if (snap.error() == common::Errc::NotFound) {
        snapshot_ = SnapshotMeta{0, Term(0), initial};
        TRIBUTARY_TRY(disk::write_file_atomically(io_, dir_, disk::kSnapshotFile,
                                                  disk::encode_snapshot(snapshot_, {})));
    } else {
        return snap.error();
    }
    TRIBUTARY_TRY(recover_segments());
    return forget_covered_entries();
}

Result<void> DiskLogStorage::recover_segments() {
    TRIBUTARY_TRY(names, io_.list_dir(dir_));
    std::vector<Index> firsts;
    for (const auto& name : names) {
        if (auto first = disk::parse_segment_name(name)) firsts.push_back(*first);
    }
    std::sort(firsts.begin(), firsts.end());
    size_t i = 0;
    bool stop = false;
    for (; i < firsts.size() && !stop; ++i) {
        if (segments_.empty()) loaded_first_ = firsts[i];
        Index expected = loaded_first_ + static_cast<Index>(locations_.size());
        if (firsts[i] != expected) {
            raft_log()->warn(
                "raft log in {}: segment {} does not continue the log (next index "
                "{}); dropping it and every later segment",
                dir_, firsts[i], expected);
            break;
        }
        TRIBUTARY_TRY(load_segment(firsts[i], stop));
    }
    if (i == firsts.size()) return common::ok();
    for (; i < firsts.size(); ++i) {
        TRIBUTARY_TRY(io_.remove_file(join_path(dir_, disk::segment_name(firsts[i]))));
    }
    return io_.sync_dir(dir_);
}

// Loads one segment's records into locations_; cuts a torn or corrupt tail (and sets `stop`:
// nothing after it can continue the log).
Result<void> DiskLogStorage::load_segment(Index first, bool& stop) {
    auto path = join_path(dir_, disk::segment_name(first));
    TRIBUTARY_TRY(bytes, disk::read_whole_file(io_, path));
    TRIBUTARY_TRY(file, io_.open(path, OpenMode::ReadWrite));
    std::span<const uint8_t> data(bytes);
    uint64_t pos = 0;
    Index expected = first;
    Term last_term = locations_.empty() ? Term(0) : locations_.back().term;
    while (pos < data.size()) {
        auto record = disk::decode_record(data.subspan(pos), options_.max_entry_bytes);
        if (!record || record->entry.index != expected || record->entry.term < last_term) break;
        locations_.push_back(
            Location{record->entry.term, file.get(), pos, static_cast<uint32_t>(record->size)});
        last_term = record->entry.term;
        ++expected;
        pos += record->size;
    }
    segments_.push_back(Segment{first, file, false});
    if (pos < data.size()) {
        raft_log()->warn(
            "raft log in {}: cutting {} bytes of torn or corrupt tail at byte {} of "
            "segment {}",
            dir_, data.size() - pos, pos, first);
        cut_bytes_ += data.size() - pos;
        TRIBUTARY_TRY(file->truncate(pos));
        TRIBUTARY_TRY(file->sync());
        stop = true;
    }
    return common::ok();
}

// After loading: keeps only the entries after the snapshot, provided the log agrees with it.
Result<void> DiskLogStorage::forget_covered_entries() {
    Index first = loaded_first_;
    Index last = first + static_cast<Index>(locations_.size()) - 1;
    Index snap = snapshot_.index;
    bool agrees = locations_.empty() || snap == first - 1;
    if (!agrees && snap >= first && snap <= last) {
        agrees = locations_[static_cast<size_t>(snap - first)].term == snapshot_.term;
    }
    if (!agrees) {
        raft_log()->warn(
            "raft log in {}: entries {}..{} do not follow snapshot {} (term {}); "
            "the log restarts after the snapshot",
            dir_, first, last, snap, snapshot_.term.value());
        locations_.clear();
    }
    for (; !locations_.empty() && first <= snap; ++first) locations_.pop_front();
    return drop_unused_segments();
}

// Removes the segments that hold no entry after the snapshot.
Result<void> DiskLogStorage::drop_unused_segments() {
    size_t keep_from = segments_.size();
    if (!locations_.empty()) {
        keep_from = 0;
        while (segments_[keep_from].file.get() != locations_.front().file) ++keep_from;
    }
    if (keep_from == 0) return common::ok();
    for (size_t i = 0; i < keep_from; ++i) {
        TRIBUTARY_TRY(io_.remove_file(join_path(dir_, disk::segment_name(segments_[i].first))));
    }
    segments_.erase(segments_.begin(), segments_.begin() + static_cast<std::ptrdiff_t>(keep_from));
    return io_.sync_dir(dir_);
}

std::error_code DiskLogStorage::fail(std::error_code ec) {
    if (!failed_) raft_log()->error("raft log in {} failed: {}", dir_, ec.message());
    failed_ = true;
    return ec;
}

Index DiskLogStorage::last_index() const {
    return snapshot_.index + static_cast<Index>(locations_.size());
}

Result<Term> DiskLogStorage::term_at(Index index) const {
    if (index == snapshot_.index) return snapshot_.term;
    if (index < snapshot_.index) return Errc::Compacted;
    if (index > last_index()) return Errc::Unavailable;
    return locations_[static_cast<size_t>(index - snapshot_.index - 1)].term;
}

Result<Entry> DiskLogStorage::read_one(Index index) const {
    const Location& loc = locations_[static_cast<size_t>(index - snapshot_.index - 1)];
    Bytes bytes(loc.size);
    TRIBUTARY_TRY(n, loc.file->pread(loc.pos, bytes));
    if (n != bytes.size()) return common::Errc::CorruptData;
    auto record = disk::decode_record(bytes, options_.max_entry_bytes);
    if (!record || record->entry.index != index) return common::Errc::CorruptData;
    return std::move(record->entry);
}

Result<std::vector<Entry>> DiskLogStorage::read(Index from, Index to, size_t max_bytes) const {
    if (from <= snapshot_.index) return Errc::Compacted;
    if (to > last_index() || from > to) return Errc::Unavailable;
    std::vector<Entry> out;
    size_t bytes = 0;
    for (Index i = from; i <= to; ++i) {
        TRIBUTARY_TRY(entry, read_one(i));
        if (!out.empty() && bytes + entry.payload.size() > max_bytes) break;
        bytes += entry.payload.size();
        out.push_back(std::move(entry));
    }
    return out;
}

Result<Bytes> DiskLogStorage::read_snapshot() const {
    if (!snapshot_data_) {
        TRIBUTARY_TRY(bytes, disk::read_whole_file(io_, join_path(dir_, disk::kSnapshotFile)));
        TRIBUTARY_TRY(file, disk::decode_snapshot(bytes));
        if (file.meta != snapshot_) return common::Errc::CorruptData;
        snapshot_data_ = std::move(file.data);
    }
    return *snapshot_data_;
}

Result<void> DiskLogStorage::open_new_segment(Index first) {
    auto file = io_.open(join_path(dir_, disk::segment_name(first)), OpenMode::Truncate);
    if (!file) return fail(file.error());
    segments_.push_back(Segment{first, file.value(), true});
    dir_dirty_ = true;
    return common::ok();
}

Result<void> DiskLogStorage::write_to_active(std::vector<uint8_t>& buffer) {
    if (buffer.empty()) return common::ok();
    Segment& active = segments_.back();
    auto written = active.file->append(buffer);
    if (!written) return fail(written.error());
    active.dirty = true;
    buffer.clear();
    return common::ok();
}

Result<void> DiskLogStorage::append(std::span<const Entry> entries) {
    if (failed_) return Errc::StorageFailed;
    Index next = last_index() + 1;
    for (const auto& e : entries) {
        if (e.index != next++) return Errc::Unavailable;
        if (e.payload.size() + disk::kRecordBodyFixedBytes > options_.max_entry_bytes) {
            return common::Errc::TooLarge;
        }
    }
    std::vector<uint8_t> buffer;
    uint64_t active_size = segments_.empty() ? 0 : segments_.back().file->size();
    for (const auto& e : entries) {
        if (segments_.empty() || active_size + buffer.size() >= options_.segment_bytes) {
            TRIBUTARY_TRY(write_to_active(buffer));
            TRIBUTARY_TRY(open_new_segment(e.index));
            active_size = 0;
        }
        locations_.push_back(Location{e.term, segments_.back().file.get(),
                                      active_size + buffer.size(),
                                      static_cast<uint32_t>(disk::record_size(e))});
        disk::append_record(buffer, e);
    }
    return write_to_active(buffer);
}

Result<void> DiskLogStorage::truncate_suffix(Index from) {
    if (failed_) return Errc::StorageFailed;
    if (from <= snapshot_.index) return Errc::Compacted;
    if (from > last_index()) return common::ok();
    TRIBUTARY_TRY(sync_files());
    const Location cut = locations_[static_cast<size_t>(from - snapshot_.index - 1)];
    while (!segments_.empty() && segments_.back().first >= from) {
        auto removed = io_.remove_file(join_path(dir_, disk::segment_name(segments_.back().first)));
        if (!removed) return fail(removed.error());
        segments_.pop_back();
    }
    if (!segments_.empty() && segments_.back().file.get() == cut.file) {
        auto& active = segments_.back();
        auto done = active.file->truncate(cut.pos);
        if (done) done = active.file->sync();
        if (!done) return fail(done.error());
    }
    auto synced = io_.sync_dir(dir_);
    if (!synced) return fail(synced.error());
    locations_.resize(static_cast<size_t>(from - snapshot_.index - 1));
    return common::ok();
}

Result<void> DiskLogStorage::save_hard_state(const HardState& state) {
    if (failed_) return Errc::StorageFailed;
    hard_state_ = state;
    hard_state_dirty_ = true;
    return common::ok();
}

Result<void> DiskLogStorage::save_snapshot(const SnapshotMeta& meta, Bytes data) {
    if (failed_) return Errc::StorageFailed;
    TRIBUTARY_TRY(sync_files());
    auto written = disk::write_file_atomically(io_, dir_, disk::kSnapshotFile,
                                               disk::encode_snapshot(meta, data));
    if (!written) return fail(written.error());
    auto term = term_at(meta.index);
    bool keeps_log = term && term.value() == meta.term && meta.index >= snapshot_.index;
    Index covered =
        keeps_log ? meta.index - snapshot_.index : static_cast<Index>(locations_.size());
    locations_.erase(locations_.begin(), locations_.begin() + static_cast<std::ptrdiff_t>(covered));
    snapshot_ = meta;
    snapshot_data_ = std::move(data);
    auto dropped = drop_unused_segments();
    if (!dropped) return fail(dropped.error());
    return common::ok();
}

void DiskLogStorage::flush(uint64_t seq) {
    pending_seq_ = std::max(pending_seq_.value_or(0), seq);
    if (sync_scheduled_ || !scheduler_) return;
    sync_scheduled_ = true;
    scheduler_();
}

DiskLogStorage::SyncWork DiskLogStorage::begin_sync() {
    sync_scheduled_ = false;
    SyncWork work;
    work.io = &io_;
    work.path = dir_;
    work.lock = sync_lock_;
    for (auto& segment : segments_) {
        if (!segment.dirty) continue;
        work.files.push_back(segment.file);
        segment.dirty = false;
    }
    work.dir = std::exchange(dir_dirty_, false);
    if (std::exchange(hard_state_dirty_, false)) work.hard_state = hard_state_;
    work.seq = std::exchange(pending_seq_, std::nullopt);
    return work;
}

Result<void> DiskLogStorage::SyncWork::run() const {
    for (const auto& file : files) {
        TRIBUTARY_TRY(file->sync());
    }
    if (dir) {
        TRIBUTARY_TRY(io->sync_dir(path));
    }
    if (hard_state) {
        std::lock_guard guard(*lock);
        TRIBUTARY_TRY(disk::write_file_atomically(*io, path, disk::kHardStateFile,
                                                  disk::encode_hard_state(*hard_state)));
    }
    return common::ok();
}

Result<std::optional<uint64_t>> DiskLogStorage::end_sync(const SyncWork& work,
                                                         Result<void> outcome) {
    if (failed_) return Errc::StorageFailed;
    if (!outcome) return fail(outcome.error());
    return work.seq;
}

// Synchronous: makes everything issued so far durable, keeping the pending seq for the next
// sync to report (truncate_suffix and save_snapshot call it before acting).
Result<void> DiskLogStorage::sync_files() {
    if (failed_) return Errc::StorageFailed;
    auto seq = pending_seq_;
    bool scheduled = sync_scheduled_;
    SyncWork work = begin_sync();
    pending_seq_ = seq;
    sync_scheduled_ = scheduled;
    auto done = end_sync(work, work.run());
    if (!done) return done.error();
    return common::ok();
}

Result<std::optional<uint64_t>> DiskLogStorage::sync_now() {
    if (failed_) return Errc::StorageFailed;
    SyncWork work = begin_sync();
    return end_sync(work, work.run());
}

}  // namespace broker::raft
