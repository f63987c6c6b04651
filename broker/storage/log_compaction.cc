// Log compaction: the key map, the crash-safe rewrite of one segment, and Log::compact().
#include "broker/storage/log_compaction.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

#include "broker/storage/errc.h"
#include "broker/storage/log.h"
#include "common/errc.h"
#include "common/log.h"
#include "common/protocol/records/record_batch_builder.h"
#include "common/protocol/records/record_iterator.h"

namespace broker::storage {

namespace records = common::records;

namespace {

constexpr const char* kCleanedSuffix = ".log.cleaned";
constexpr const char* kSwapSuffix = ".log.swap";
// Kept batches are buffered up to this size before they are appended to the cleaned file.
constexpr size_t kWriteChunkBytes = 1 << 20;

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Calls fn(batch bytes, header) for every batch of the segment file at `path`, in order.
template <class F>
Result<void> for_each_batch(FileIo& io, const std::string& path, F&& fn) {
    TRIBUTARY_TRY(file, io.open(path, OpenMode::Read));
    const uint64_t size = file->size();
    std::array<uint8_t, records::kBatchHeaderSize> head{};
    std::vector<uint8_t> batch;
    for (uint64_t pos = 0; pos < size;) {
        TRIBUTARY_TRY(n, file->pread(pos, head));
        if (n != head.size()) return common::Errc::Truncated;
        TRIBUTARY_TRY(header, records::parse_batch_header(head));
        batch.resize(header.size_bytes());
        TRIBUTARY_TRY(m, file->pread(pos, batch));
        if (m != batch.size()) return common::Errc::Truncated;
        TRIBUTARY_TRY(fn(std::span<const uint8_t>(batch), header));
        pos += batch.size();
    }
    return common::ok();
}

// An owned copy of `r` that re-encodes to the same record inside a batch with header `h`.
records::NewRecord copy_record(const records::Record& r, const records::RecordBatchHeader& h) {
    records::NewRecord out;
    if (r.key) out.key.emplace(r.key->begin(), r.key->end());
    if (r.value) out.value.emplace(r.value->begin(), r.value->end());
    out.timestamp = static_cast<int64_t>(static_cast<uint64_t>(h.base_timestamp) +
                                         static_cast<uint64_t>(r.timestamp_delta));
    for (const auto& header : r.headers) {
        std::optional<std::vector<uint8_t>> value;
        if (header.value) value.emplace(header.value->begin(), header.value->end());
        out.headers.emplace_back(std::string(header.key), std::move(value));
    }
    out.offset_delta = r.offset_delta;
    return out;
}

// A batch of the kept records with the original header fields (offsets, producer, timestamps).
Result<std::vector<uint8_t>> rebuild_batch(const records::RecordBatchHeader& h,
                                           std::vector<records::NewRecord> kept) {
    records::BatchOptions options;
    options.base_offset = h.base_offset;
    options.partition_leader_epoch = h.partition_leader_epoch;
    options.codec = h.compression();
    options.timestamp_type = h.timestamp_type();
    options.producer_id = h.producer_id;
    options.producer_epoch = h.producer_epoch;
    options.base_sequence = h.base_sequence;
    options.transactional = h.is_transactional();
    options.last_offset_delta = h.last_offset_delta;
    options.base_timestamp = h.base_timestamp;
    options.max_timestamp = h.max_timestamp;
    records::RecordBatchBuilder builder(options);
    for (auto& r : kept) builder.add(std::move(r));
    return builder.build();
}

// Rewrites one segment's batches into `out`, updating `stats`.
class SegmentCleaner {
  public:
    SegmentCleaner(const KeyOffsetMap& keys, const CleanRules& rules, CleanedSegment& stats)
        : keys_(keys), rules_(rules), stats_(stats) {}

    Result<void> clean(std::span<const uint8_t> batch, const records::RecordBatchHeader& h,
                       std::vector<uint8_t>& out) {
        stats_.bytes_before += batch.size();
        auto it = records::RecordIterator::open(batch, Segment::kMaxDecompressedBytes);
        if (!it || h.is_control()) return keep_whole(batch, h, out);
        std::vector<records::NewRecord> kept;
        int32_t total = 0;
        CleanedSegment tentative;  // tombstone expiry of this batch, applied once it is kept
        while (true) {
            auto record = it.value().next();
            if (!record) return keep_whole(batch, h, out);  // unreadable: never drop data
            if (!record.value()) break;
            ++total;
            const records::Record& r = *record.value();
            if (survives(r, it.value().offset_of(r), it.value().timestamp_of(r), tentative)) {
                kept.push_back(copy_record(r, h));
            }
        }
        stats_.next_tombstone_expiry_ms =
            std::min(stats_.next_tombstone_expiry_ms, tentative.next_tombstone_expiry_ms);
        if (static_cast<int32_t>(kept.size()) == total) return keep_whole(batch, h, out);
        stats_.records_removed += total - static_cast<int32_t>(kept.size());
        stats_.records_kept += static_cast<int64_t>(kept.size());
        if (kept.empty()) return common::ok();
        TRIBUTARY_TRY(rebuilt, rebuild_batch(h, std::move(kept)));
        out.insert(out.end(), rebuilt.begin(), rebuilt.end());
        return common::ok();
    }

  private:
    bool survives(const records::Record& r, int64_t offset, int64_t timestamp,
                  CleanedSegment& tentative) const {
        if (!r.key) return true;
        if (keys_.latest(*r.key) > offset) return false;
        if (r.value) return true;
        if (rules_.now_ms - timestamp > rules_.delete_retention_ms) return false;
        tentative.next_tombstone_expiry_ms = std::min(tentative.next_tombstone_expiry_ms,
                                                      timestamp + rules_.delete_retention_ms + 1);
        return true;
    }

    Result<void> keep_whole(std::span<const uint8_t> batch, const records::RecordBatchHeader& h,
                            std::vector<uint8_t>& out) {
        stats_.records_kept += h.records_count;
        out.insert(out.end(), batch.begin(), batch.end());
        return common::ok();
    }

    const KeyOffsetMap& keys_;
    const CleanRules& rules_;
    CleanedSegment& stats_;
};

}  // namespace

void KeyOffsetMap::put(std::span<const uint8_t> key, int64_t offset) {
    auto& slot = map_[std::string(key.begin(), key.end())];
    slot = std::max(slot, offset);
}

int64_t KeyOffsetMap::latest(std::span<const uint8_t> key) const {
    auto it = map_.find(std::string(key.begin(), key.end()));
    return it == map_.end() ? -1 : it->second;
}

Result<void> add_segment_keys(FileIo& io, const std::string& log_path, KeyOffsetMap& keys) {
    return for_each_batch(
        io, log_path,
        [&](std::span<const uint8_t> batch, const records::RecordBatchHeader& h) -> Result<void> {
            if (h.is_control()) return common::ok();
            auto it = records::RecordIterator::open(batch, Segment::kMaxDecompressedBytes);
            if (!it) return common::ok();  // kept whole by the rewrite
            while (true) {
                auto record = it.value().next();
                if (!record || !record.value()) return common::ok();
                const records::Record& r = *record.value();
                if (r.key) keys.put(*r.key, it.value().offset_of(r));
            }
        });
}

Result<CleanedSegment> write_cleaned_segment(FileIo& io, const std::string& dir,
                                             const std::string& log_path, int64_t base,
                                             const KeyOffsetMap& keys, const CleanRules& rules) {
    const std::string cleaned_path = join_path(dir, Segment::file_name(base, kCleanedSuffix));
    TRIBUTARY_TRY(file, io.open(cleaned_path, OpenMode::Truncate));
    CleanedSegment stats;
    SegmentCleaner cleaner(keys, rules, stats);
    std::vector<uint8_t> out;
    TRIBUTARY_TRY(for_each_batch(
        io, log_path,
        [&](std::span<const uint8_t> batch, const records::RecordBatchHeader& h) -> Result<void> {
            TRIBUTARY_TRY(cleaner.clean(batch, h, out));
            if (out.size() < kWriteChunkBytes) return common::ok();
            TRIBUTARY_TRY(file->append(out));
            stats.bytes_after += out.size();
            out.clear();
            return common::ok();
        }));
    if (stats.records_removed == 0) {
        file.reset();
        TRIBUTARY_TRY(io.remove_file(cleaned_path));
        return stats;
    }
    TRIBUTARY_TRY(file->append(out));
    stats.bytes_after += out.size();
    TRIBUTARY_TRY(file->sync());
    stats.written = true;
    return stats;
}

Result<void> commit_cleaned_segment(FileIo& io, const std::string& dir, int64_t base) {
    TRIBUTARY_TRY(io.rename(join_path(dir, Segment::file_name(base, kCleanedSuffix)),
                            join_path(dir, Segment::file_name(base, kSwapSuffix))));
    return io.sync_dir(dir);
}

Result<void> install_swapped_segment(FileIo& io, const std::string& dir, int64_t base) {
    TRIBUTARY_TRY(io.remove_file(join_path(dir, Segment::file_name(base, ".log"))));
    TRIBUTARY_TRY(io.remove_file(join_path(dir, Segment::file_name(base, ".index"))));
    TRIBUTARY_TRY(io.remove_file(join_path(dir, Segment::file_name(base, ".timeindex"))));
    TRIBUTARY_TRY(io.rename(join_path(dir, Segment::file_name(base, kSwapSuffix)),
                            join_path(dir, Segment::file_name(base, ".log"))));
    return io.sync_dir(dir);
}

Result<void> finish_interrupted_compactions(FileIo& io, const std::string& dir) {
    TRIBUTARY_TRY(names, io.list_dir(dir));
    for (const auto& name : names) {
        if (ends_with(name, kCleanedSuffix)) {
            TRIBUTARY_TRY(io.remove_file(join_path(dir, name)));
            continue;
        }
        if (!ends_with(name, kSwapSuffix) || name.size() != 20 + std::strlen(kSwapSuffix)) {
            continue;
        }
        int64_t base = 0;
        auto [end, ec] = std::from_chars(name.data(), name.data() + 20, base);
        if (ec != std::errc() || end != name.data() + 20) continue;
        common::log::get("storage")->info("log {}: completing the compaction of segment {}", dir,
                                          base);
        TRIBUTARY_TRY(install_swapped_segment(io, dir, base));
    }
    return common::ok();
}

// ---- Log::compact ----

bool Log::compaction_due(const std::vector<Segment*>& cleanable, int64_t now_ms) const {
    if (now_ms >= next_tombstone_expiry_) return true;
    uint64_t total = 0;
    uint64_t dirty = 0;
    for (const Segment* s : cleanable) {
        total += s->size();
        if (s->base_offset() >= cleaned_up_to_) dirty += s->size();
    }
    return dirty > 0 && static_cast<double>(dirty) >=
                            config_.min_cleanable_dirty_ratio * static_cast<double>(total);
}

Result<bool> Log::replace_compacted(int64_t base, bool now_empty) {
    TRIBUTARY_TRY(commit_cleaned_segment(io_, dir_, base));
    auto it = segments_.find(base);
    std::unique_ptr<Segment> old = std::move(it->second);
    if (auto installed = install_swapped_segment(io_, dir_, base); !installed) {
        it->second = std::move(old);
        return fail(installed.error(), "compaction swap");
    }
    if (now_empty && it != segments_.begin()) {
        // Nothing left: drop the empty file too (offsets are never reused, holes are fine).
        segments_.erase(it);
        dir_dirty_ = true;
        if (auto removed = io_.remove_file(join_path(dir_, Segment::file_name(base, ".log")));
            !removed) {
            return fail(removed.error(), "segment delete");
        }
        return true;
    }
    auto opened = Segment::open(io_, dir_, base, config_.index_interval_bytes, clock_(), true);
    if (!opened) {
        it->second = std::move(old);
        return fail(opened.error(), "compacted segment open");
    }
    it->second = std::move(opened).value();
    if (auto sealed = it->second->seal(); !sealed) return fail(sealed.error(), "index sync");
    return false;
}

Result<CompactionStats> Log::compact(int64_t now_ms) {
    if (offline_) return Errc::LogOffline;
    CompactionStats stats;
    std::vector<Segment*> cleanable;
    for (auto it = segments_.begin(); std::next(it) != segments_.end(); ++it) {
        if (now_ms - it->second->largest_timestamp() < config_.min_compaction_lag_ms) break;
        cleanable.push_back(it->second.get());
    }
    if (cleanable.empty() || !compaction_due(cleanable, now_ms)) return stats;
    KeyOffsetMap keys;
    for (const Segment* s : cleanable) {
        TRIBUTARY_TRY(add_segment_keys(io_, s->log_path(), keys));
    }
    const int64_t cleaned_end = cleanable.back()->next_offset();
    std::vector<std::pair<int64_t, std::string>> targets;
    for (const Segment* s : cleanable) targets.emplace_back(s->base_offset(), s->log_path());
    const CleanRules rules{now_ms, config_.delete_retention_ms};
    int64_t next_expiry = INT64_MAX;
    for (const auto& [base, path] : targets) {
        TRIBUTARY_TRY(cleaned, write_cleaned_segment(io_, dir_, path, base, keys, rules));
        next_expiry = std::min(next_expiry, cleaned.next_tombstone_expiry_ms);
        if (!cleaned.written) continue;
        TRIBUTARY_TRY(removed, replace_compacted(base, cleaned.bytes_after == 0));
        ++(removed ? stats.segments_removed : stats.segments_rewritten);
        stats.records_removed += cleaned.records_removed;
        stats.bytes_before += cleaned.bytes_before;
        stats.bytes_after += cleaned.bytes_after;
    }
    cleaned_up_to_ = cleaned_end;
    next_tombstone_expiry_ = next_expiry;
    if (stats.records_removed > 0) {
        common::log::get("storage")->info(
            "log {} compacted: {} records removed, {} segments rewritten, {} removed, {} -> {} "
            "bytes",
            dir_, stats.records_removed, stats.segments_rewritten, stats.segments_removed,
            stats.bytes_before, stats.bytes_after);
    }
    return stats;
}

}  // namespace broker::storage
