// Log: retention, DeleteRecords and truncation (the operations that remove data).
#include "broker/storage/errc.h"
#include "broker/storage/log.h"
#include "common/log.h"

namespace broker::storage {

// A segment whose offsets all lie below the log start offset. An empty segment at the log start
// (the first segment, emptied by compaction) is not: it holds the log start in place.
bool Log::wholly_below_start(const Segment& s) const {
    return s.base_offset() < log_start_ && s.next_offset() <= log_start_;
}

Result<void> Log::delete_oldest_segment() {
    auto oldest = segments_.begin();
    std::unique_ptr<Segment> segment = std::move(oldest->second);
    segments_.erase(oldest);
    log_start_ = std::max(log_start_, segments_.begin()->first);
    dir_dirty_ = true;
    if (auto removed = segment->remove_files(); !removed) {
        return fail(removed.error(), "segment delete");
    }
    common::log::get("storage")->info("log {} deleted segment {}, log start offset now {}", dir_,
                                      segment->base_offset(), log_start_);
    return common::ok();
}

Result<int> Log::delete_segments_while(const std::function<bool(const Segment&)>& expired) {
    int deleted = 0;
    while (segments_.size() > 1 && expired(*segments_.begin()->second)) {
        TRIBUTARY_TRY(delete_oldest_segment());
        ++deleted;
    }
    return deleted;
}

Result<int> Log::run_retention(int64_t now_ms) {
    if (offline_) return Errc::LogOffline;
    TRIBUTARY_TRY(below_start, delete_segments_while(
                                   [this](const Segment& s) { return wholly_below_start(s); }));
    int deleted = below_start;
    if (config_.cleanup_delete && config_.retention_ms >= 0) {
        TRIBUTARY_TRY(by_time, delete_segments_while([&](const Segment& s) {
                          return now_ms - s.largest_timestamp() > config_.retention_ms;
                      }));
        deleted += by_time;
    }
    if (config_.cleanup_delete && config_.retention_bytes >= 0) {
        uint64_t total = size_bytes();
        TRIBUTARY_TRY(by_size, delete_segments_while([&](const Segment& s) {
                          if (total - s.size() < static_cast<uint64_t>(config_.retention_bytes)) {
                              return false;
                          }
                          total -= s.size();
                          return true;
                      }));
        deleted += by_size;
    }
    if (config_.cleanup_compact) {
        TRIBUTARY_TRY(compacted, compact(now_ms));
        deleted += compacted.segments_removed;
    }
    return deleted;
}

Result<int64_t> Log::delete_records_before(int64_t offset) {
    if (offline_) return Errc::LogOffline;
    if (offset < 0 || offset > log_end_offset()) return Errc::OffsetOutOfRange;
    if (offset <= log_start_) return log_start_;
    log_start_ = offset;
    TRIBUTARY_TRY(
        delete_segments_while([this](const Segment& s) { return wholly_below_start(s); }));
    TRIBUTARY_TRY(checkpoint());
    return log_start_;
}

Result<void> Log::truncate_to(int64_t offset) {
    if (offline_) return Errc::LogOffline;
    if (offset >= log_end_offset()) return common::ok();
    if (offset < log_start_ || offset <= segments_.begin()->first) {
        return truncate_fully_and_start_at(offset);
    }
    while (segments_.rbegin()->first >= offset) {
        auto last = std::prev(segments_.end());
        std::unique_ptr<Segment> segment = std::move(last->second);
        segments_.erase(last);
        if (auto removed = segment->remove_files(); !removed) {
            return fail(removed.error(), "segment delete");
        }
    }
    if (auto cut = active().truncate_to(offset); !cut) return fail(cut.error(), "truncate");
    dir_dirty_ = true;
    recovery_point_ = std::min(recovery_point_, log_end_offset());
    common::log::get("storage")->info("log {} truncated to offset {}", dir_, log_end_offset());
    // Make the cut durable, and the checkpoint with it, so a crash cannot bring back a recovery
    // point past the new end.
    TRIBUTARY_TRY(flush());
    return checkpoint();
}

Result<void> Log::truncate_fully_and_start_at(int64_t offset) {
    if (offline_) return Errc::LogOffline;
    if (offset < 0) return Errc::OffsetOutOfRange;
    if (offset > log_end_offset()) {
        // The commit point: a checkpoint whose log start is past the end makes open() finish the
        // restart, so a crash from here on leaves the empty log at `offset`, never a part of the
        // old one.
        log_start_ = offset;
        TRIBUTARY_TRY(checkpoint());
    }
    while (!segments_.empty()) {
        auto first = segments_.begin();
        std::unique_ptr<Segment> segment = std::move(first->second);
        segments_.erase(first);
        if (auto removed = segment->remove_files(); !removed) {
            return fail(removed.error(), "segment delete");
        }
    }
    auto created = Segment::create(io_, dir_, offset, config_.index_interval_bytes, clock_());
    if (!created) return fail(created.error(), "segment create");
    segments_.emplace(offset, std::move(created).value());
    log_start_ = offset;
    recovery_point_ = offset;
    dir_dirty_ = true;
    TRIBUTARY_TRY(flush());
    return checkpoint();
}

}  // namespace broker::storage
