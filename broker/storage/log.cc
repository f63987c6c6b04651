#include "broker/storage/log.h"

#include <chrono>

#include "broker/storage/errc.h"
#include "common/errc.h"
#include "common/log.h"
#include "common/protocol/records/batch_splitter.h"

namespace broker::storage {

namespace records = common::records;

int64_t system_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Result<std::vector<uint8_t>> ReadResult::copy_bytes() const {
    std::vector<uint8_t> out(size);
    uint64_t at = 0;
    for (const auto& slice : slices) {
        TRIBUTARY_TRY(n, slice.file->pread(slice.position, std::span(out).subspan(at, slice.size)));
        if (n != slice.size) return common::Errc::Truncated;
        at += slice.size;
    }
    return out;
}

Log::Log(FileIo& io, std::string dir, LogConfig config, Clock clock)
    : io_(io), dir_(std::move(dir)), config_(config), clock_(std::move(clock)) {}

std::error_code Log::fail(std::error_code ec, const char* what) {
    if (!offline_) {
        common::log::get("storage")->error("log {} offline: {} failed: {}", dir_, what,
                                           ec.message());
    }
    offline_ = true;
    return ec;
}

Result<AppendInfo> Log::append(std::span<uint8_t> batches, int32_t leader_epoch) {
    return append_batches(batches, true, leader_epoch);
}

Result<AppendInfo> Log::append_replicated(std::span<uint8_t> batches) {
    return append_batches(batches, false, -1);
}

Result<AppendInfo> Log::append_batches(std::span<uint8_t> batches, bool assign_offsets,
                                       int32_t leader_epoch) {
    if (offline_) return Errc::LogOffline;
    auto split = records::split_batches(batches);
    if (split.tail) return split.tail;
    if (split.batches.empty()) return common::Errc::Malformed;
    AppendInfo info;
    info.bytes = batches.size();
    std::vector<BatchMeta> metas;
    int64_t next = log_end_offset();
    for (auto batch : split.batches) {
        TRIBUTARY_TRY(header, records::validate_batch(batch));
        if (header.last_offset_delta < 0) return common::Errc::Malformed;
        auto at = static_cast<size_t>(batch.data() - batches.data());
        auto writable = batches.subspan(at, batch.size());
        if (assign_offsets) {
            TRIBUTARY_TRY(records::set_base_offset(writable, next));
            header.base_offset = next;
        } else if (header.base_offset < next) {
            return Errc::InvalidOffset;
        }
        if (leader_epoch >= 0) {
            TRIBUTARY_TRY(records::set_partition_leader_epoch(writable, leader_epoch));
        }
        metas.push_back({header.base_offset, header.last_offset(), header.max_timestamp,
                         static_cast<uint32_t>(batch.size())});
        if (header.max_timestamp > info.max_timestamp) {
            info.max_timestamp = header.max_timestamp;
            info.offset_of_max_timestamp = header.base_offset;
        }
        next = header.last_offset() + 1;
    }
    info.base_offset = metas.front().base_offset;
    info.last_offset = metas.back().last_offset;
    info.batch_count = static_cast<int32_t>(metas.size());
    const int64_t now = clock_();
    if (auto rolled = maybe_roll(batches.size(), info.last_offset, now); !rolled) {
        return fail(rolled.error(), "roll");
    }
    if (auto appended = active().append(batches, metas, now); !appended) {
        return fail(appended.error(), "append");
    }
    info.log_start_offset = log_start_;
    return info;
}

Result<void> Log::maybe_roll(uint64_t incoming_bytes, int64_t last_offset, int64_t now_ms) {
    const Segment& seg = active();
    if (seg.empty()) return common::ok();
    bool full = seg.size() + incoming_bytes > static_cast<uint64_t>(config_.segment_bytes);
    bool old = seg.first_append_ms() && now_ms - *seg.first_append_ms() >= config_.segment_ms;
    bool offsets_overflow = last_offset - seg.base_offset() > int64_t{INT32_MAX};
    if (!full && !old && !offsets_overflow) return common::ok();
    return roll(now_ms);
}

Result<void> Log::roll(int64_t now_ms) {
    TRIBUTARY_TRY(active().seal());
    int64_t base = log_end_offset();
    TRIBUTARY_TRY(segment, Segment::create(io_, dir_, base, config_.index_interval_bytes, now_ms));
    segments_.emplace(base, std::move(segment));
    dir_dirty_ = true;
    common::log::get("storage")->debug("log {} rolled a new segment at offset {}", dir_, base);
    return common::ok();
}

Result<ReadResult> Log::read(int64_t offset, uint64_t max_bytes, int64_t max_offset) const {
    if (offline_) return Errc::LogOffline;
    ReadResult result;
    result.log_start_offset = log_start_;
    result.log_end_offset = log_end_offset();
    result.next_offset = offset;
    if (offset < log_start_ || offset > result.log_end_offset) return Errc::OffsetOutOfRange;
    max_offset = std::min(max_offset, result.log_end_offset);
    auto it = segments_.upper_bound(offset);
    if (it != segments_.begin()) --it;
    uint64_t remaining = max_bytes;
    for (; it != segments_.end() && offset < max_offset; ++it) {
        const bool first = result.slices.empty();
        TRIBUTARY_TRY(part, it->second->read(offset, remaining, max_offset, first));
        if (!part) {
            if (it->second->next_offset() <= offset) continue;  // nothing at or after offset here
            break;
        }
        result.size += part->slice.size;
        remaining -= std::min(remaining, part->slice.size);
        offset = part->last_offset + 1;
        result.slices.push_back(std::move(part->slice));
        if (remaining == 0) break;
    }
    result.next_offset = offset;
    return result;
}

Result<std::optional<TimestampOffset>> Log::offset_for_timestamp(int64_t timestamp) const {
    if (offline_) return Errc::LogOffline;
    for (const auto& [base, segment] : segments_) {
        if (segment->next_offset() <= log_start_) continue;
        TRIBUTARY_TRY(found, segment->find_timestamp(timestamp));
        if (found) {
            return std::optional<TimestampOffset>(
                TimestampOffset{std::max(found->first, log_start_), found->second});
        }
    }
    return std::optional<TimestampOffset>{};
}

std::optional<TimestampOffset> Log::max_timestamp() const {
    std::optional<TimestampOffset> best;
    for (const auto& [base, segment] : segments_) {
        if (segment->max_timestamp() >= 0 &&
            (!best || segment->max_timestamp() > best->timestamp)) {
            best = TimestampOffset{segment->offset_of_max_timestamp(), segment->max_timestamp()};
        }
    }
    return best;
}

Result<std::vector<records::RecordBatchHeader>> Log::batch_headers_from(int64_t offset) const {
    if (offline_) return Errc::LogOffline;
    if (offset < log_start_ || offset > log_end_offset()) return Errc::OffsetOutOfRange;
    std::vector<records::RecordBatchHeader> out;
    auto it = segments_.upper_bound(offset);
    if (it != segments_.begin()) --it;
    for (; it != segments_.end(); ++it) {
        TRIBUTARY_TRY(it->second->headers_from(offset, out));
    }
    return out;
}

Result<void> Log::flush() {
    if (offline_) return Errc::LogOffline;
    for (auto& [base, segment] : segments_) {
        if (auto synced = segment->flush(); !synced) return fail(synced.error(), "fdatasync");
    }
    if (dir_dirty_) {
        if (auto synced = io_.sync_dir(dir_); !synced) return fail(synced.error(), "dir sync");
        dir_dirty_ = false;
    }
    recovery_point_ = log_end_offset();
    return common::ok();
}

Result<void> Log::checkpoint() {
    if (offline_) return Errc::LogOffline;
    LogCheckpoint cp{recovery_point_, log_start_};
    if (cp == written_checkpoint_) return common::ok();
    if (auto written = write_checkpoint(io_, dir_, cp); !written) {
        return fail(written.error(), "checkpoint");
    }
    written_checkpoint_ = cp;
    return common::ok();
}

Result<void> Log::close() {
    if (offline_) return Errc::LogOffline;
    TRIBUTARY_TRY(flush());
    return checkpoint();
}

Result<void> Log::set_config(const LogConfig& config) {
    TRIBUTARY_TRY(validate(config));
    config_ = config;
    return common::ok();
}

uint64_t Log::size_bytes() const {
    uint64_t total = 0;
    for (const auto& [base, segment] : segments_) total += segment->size();
    return total;
}

}  // namespace broker::storage
