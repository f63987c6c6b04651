#include "broker/storage/segment.h"

#include <array>
#include <atomic>

#include <fmt/format.h>

#include "common/errc.h"
#include "common/protocol/records/record_iterator.h"

namespace broker::storage {

namespace records = common::records;

namespace {

// Batch headers are read through a window of the log file, so walking many small batches costs
// one pread per window rather than one per batch. One window per thread (segments live on one
// shard's thread); `owner` names the segment generation whose bytes it holds.
struct HeaderWindow {
    uint64_t owner = 0;
    uint64_t start = 0;
    std::vector<uint8_t> bytes;
};
thread_local HeaderWindow t_header_window;
std::atomic<uint64_t> g_next_window_owner{1};
constexpr uint64_t kHeaderWindowBytes = 8192;

}  // namespace

std::string Segment::file_name(int64_t base_offset, const char* suffix) {
    return fmt::format("{:020d}{}", base_offset, suffix);
}

Segment::Segment(FileIo& io, std::string dir, int64_t base_offset, int32_t index_interval,
                 std::shared_ptr<File> log, OffsetIndex index, TimeIndex time_index)
    : io_(io),
      dir_(std::move(dir)),
      log_path_(join_path(dir_, file_name(base_offset, ".log"))),
      base_offset_(base_offset),
      index_interval_(index_interval),
      log_(std::move(log)),
      index_(std::move(index)),
      time_index_(std::move(time_index)),
      next_offset_(base_offset) {
    invalidate_header_window();
}

Result<std::unique_ptr<Segment>> Segment::create(FileIo& io, const std::string& dir,
                                                 int64_t base_offset, int32_t index_interval,
                                                 int64_t now_ms) {
    TRIBUTARY_TRY(log, io.open(join_path(dir, file_name(base_offset, ".log")), OpenMode::Truncate));
    auto index_path = join_path(dir, file_name(base_offset, ".index"));
    auto time_path = join_path(dir, file_name(base_offset, ".timeindex"));
    TRIBUTARY_TRY(io.remove_file(index_path));
    TRIBUTARY_TRY(io.remove_file(time_path));
    TRIBUTARY_TRY(index, OffsetIndex::open(io, index_path, base_offset));
    TRIBUTARY_TRY(time_index, TimeIndex::open(io, time_path, base_offset));
    std::unique_ptr<Segment> segment(new Segment(io, dir, base_offset, index_interval,
                                                 std::move(log), std::move(index),
                                                 std::move(time_index)));
    segment->last_append_ms_ = now_ms;
    return segment;
}

Result<std::unique_ptr<Segment>> Segment::open(FileIo& io, const std::string& dir,
                                               int64_t base_offset, int32_t index_interval,
                                               int64_t now_ms, bool trusted) {
    TRIBUTARY_TRY(log,
                  io.open(join_path(dir, file_name(base_offset, ".log")), OpenMode::ReadWrite));
    auto index_path = join_path(dir, file_name(base_offset, ".index"));
    auto time_path = join_path(dir, file_name(base_offset, ".timeindex"));
    bool indexes_present = io.exists(index_path) && io.exists(time_path);
    TRIBUTARY_TRY(index, OffsetIndex::open(io, index_path, base_offset));
    TRIBUTARY_TRY(time_index, TimeIndex::open(io, time_path, base_offset));
    std::unique_ptr<Segment> segment(new Segment(io, dir, base_offset, index_interval,
                                                 std::move(log), std::move(index),
                                                 std::move(time_index)));
    segment->last_append_ms_ = now_ms;
    if (!trusted) return segment;
    bool usable = indexes_present && segment->index_.intact(segment->log_->size()) &&
                  !segment->load_tail().has_error() &&
                  segment->time_index_.intact(segment->next_offset_);
    if (!usable) {
        TRIBUTARY_TRY(segment->rebuild_indexes());
    }
    TRIBUTARY_TRY(segment->load_first_append());
    return segment;
}

Result<std::optional<records::RecordBatchHeader>> Segment::header_at(uint64_t pos) const {
    const uint64_t size = log_->size();
    if (pos >= size) return std::optional<records::RecordBatchHeader>{};
    HeaderWindow& window = t_header_window;
    if (window.owner != window_owner_ || pos < window.start ||
        pos + records::kBatchHeaderSize > window.start + window.bytes.size()) {
        window.owner = 0;
        window.bytes.resize(std::min<uint64_t>(kHeaderWindowBytes, size - pos));
        TRIBUTARY_TRY(n, log_->pread(pos, window.bytes));
        window.bytes.resize(n);
        window.start = pos;
        window.owner = window_owner_;
    }
    if (pos + records::kBatchHeaderSize > window.start + window.bytes.size()) {
        return common::Errc::Truncated;
    }
    auto raw = std::span<const uint8_t>(window.bytes)
                   .subspan(pos - window.start, records::kBatchHeaderSize);
    TRIBUTARY_TRY(header, records::parse_batch_header(raw));
    if (pos + header.size_bytes() > size) return common::Errc::Truncated;
    return std::optional<records::RecordBatchHeader>(header);
}

void Segment::invalidate_header_window() {
    window_owner_ = g_next_window_owner++;
}

Result<std::pair<uint64_t, std::optional<records::RecordBatchHeader>>> Segment::locate(
    int64_t offset) const {
    uint64_t pos = 0;
    if (auto entry = index_.lookup(offset)) pos = entry->position;
    while (true) {
        TRIBUTARY_TRY(header, header_at(pos));
        if (!header || header->last_offset() >= offset) {
            return std::pair<uint64_t, std::optional<records::RecordBatchHeader>>(pos, header);
        }
        pos += header->size_bytes();
    }
}

Result<void> Segment::track(const BatchMeta& meta, uint64_t position) {
    if (meta.max_timestamp > max_timestamp_) {
        max_timestamp_ = meta.max_timestamp;
        offset_of_max_timestamp_ = meta.base_offset;
    }
    if (bytes_since_index_ >= static_cast<uint64_t>(index_interval_)) {
        TRIBUTARY_TRY(index_.append(meta.base_offset, static_cast<uint32_t>(position)));
        TRIBUTARY_TRY(time_index_.append(max_timestamp_, meta.base_offset));
        bytes_since_index_ = 0;
    }
    bytes_since_index_ += meta.size;
    next_offset_ = meta.last_offset + 1;
    return common::ok();
}

Result<void> Segment::load_tail() {
    uint64_t pos = 0;
    next_offset_ = base_offset_;
    max_timestamp_ = -1;
    offset_of_max_timestamp_ = -1;
    if (auto last = time_index_.last()) {
        max_timestamp_ = last->timestamp;
        offset_of_max_timestamp_ = last->offset;
    }
    if (!index_.entries().empty()) {
        pos = index_.entries().back().position;
        TRIBUTARY_TRY(header, header_at(pos));
        if (!header || header->base_offset != index_.entries().back().offset) {
            return common::Errc::CorruptData;
        }
    }
    bytes_since_index_ = log_->size() - pos;
    while (true) {
        TRIBUTARY_TRY(header, header_at(pos));
        if (!header) break;
        if (header->base_offset < next_offset_) return common::Errc::CorruptData;
        if (header->max_timestamp > max_timestamp_) {
            max_timestamp_ = header->max_timestamp;
            offset_of_max_timestamp_ = header->base_offset;
        }
        next_offset_ = header->last_offset() + 1;
        pos += header->size_bytes();
    }
    return common::ok();
}

Result<void> Segment::rebuild_indexes() {
    TRIBUTARY_TRY(index_.reset());
    TRIBUTARY_TRY(time_index_.reset());
    next_offset_ = base_offset_;
    max_timestamp_ = -1;
    offset_of_max_timestamp_ = -1;
    bytes_since_index_ = 0;
    uint64_t pos = 0;
    while (true) {
        TRIBUTARY_TRY(header, header_at(pos));
        if (!header) break;
        if (header->base_offset < next_offset_) return common::Errc::CorruptData;
        BatchMeta meta{header->base_offset, header->last_offset(), header->max_timestamp,
                       static_cast<uint32_t>(header->size_bytes())};
        TRIBUTARY_TRY(track(meta, pos));
        pos += header->size_bytes();
    }
    return common::ok();
}

Result<void> Segment::load_first_append() {
    first_append_ms_.reset();
    TRIBUTARY_TRY(first, header_at(0));
    if (first) {
        first_append_ms_ = first->max_timestamp >= 0 ? first->max_timestamp : last_append_ms_;
    }
    return common::ok();
}

Result<SegmentRecovery> Segment::recover() {
    TRIBUTARY_TRY(index_.reset());
    TRIBUTARY_TRY(time_index_.reset());
    next_offset_ = base_offset_;
    max_timestamp_ = -1;
    offset_of_max_timestamp_ = -1;
    bytes_since_index_ = 0;
    SegmentRecovery result;
    const uint64_t file_size = log_->size();
    uint64_t pos = 0;
    std::vector<uint8_t> batch;
    while (pos < file_size) {
        auto header = header_at(pos);
        if (!header) {
            result.reason = header.error();
            break;
        }
        batch.resize(header.value()->size_bytes());
        TRIBUTARY_TRY(n, log_->pread(pos, batch));
        auto valid = records::validate_batch(std::span<const uint8_t>(batch.data(), n));
        if (!valid) {
            result.reason = valid.error();
            break;
        }
        if (valid.value().base_offset < next_offset_) {
            result.reason = common::Errc::Malformed;
            break;
        }
        BatchMeta meta{valid.value().base_offset, valid.value().last_offset(),
                       valid.value().max_timestamp, static_cast<uint32_t>(n)};
        TRIBUTARY_TRY(track(meta, pos));
        pos += n;
    }
    result.valid_bytes = pos;
    if (pos < file_size) {
        result.truncated_bytes = file_size - pos;
        invalidate_header_window();
        TRIBUTARY_TRY(log_->truncate(pos));
    }
    // What was validated may exist only in the page cache (a process crash): the next flush
    // must make it durable before the recovery point moves past it.
    unflushed_ = true;
    TRIBUTARY_TRY(load_first_append());
    return result;
}

Result<void> Segment::append(std::span<const uint8_t> bytes, std::span<const BatchMeta> metas,
                             int64_t now_ms) {
    uint64_t pos = log_->size();
    auto appended = log_->append(bytes);
    if (!appended) {
        (void)log_->truncate(pos);  // best effort: the caller marks the log offline anyway
        invalidate_header_window();
        return appended.error();
    }
    unflushed_ = true;
    if (!first_append_ms_ && !metas.empty()) first_append_ms_ = now_ms;
    last_append_ms_ = now_ms;
    for (const auto& meta : metas) {
        TRIBUTARY_TRY(track(meta, pos));
        pos += meta.size;
    }
    return common::ok();
}

Result<std::optional<SegmentRead>> Segment::read(int64_t offset, uint64_t max_bytes,
                                                 int64_t max_offset, bool at_least_one) const {
    TRIBUTARY_TRY(found, locate(offset));
    auto [pos, header] = found;
    const uint64_t start = pos;
    uint64_t total = 0;
    int64_t last = -1;
    while (header && header->last_offset() < max_offset) {
        uint64_t size = header->size_bytes();
        if (total + size > max_bytes && !(at_least_one && total == 0)) break;
        total += size;
        last = header->last_offset();
        pos += size;
        TRIBUTARY_TRY(next, header_at(pos));
        header = next;
    }
    if (total == 0) return std::optional<SegmentRead>{};
    return std::optional<SegmentRead>(SegmentRead{FileSlice{log_, start, total}, last});
}

Result<std::pair<int64_t, int64_t>> Segment::first_record_at(
    uint64_t pos, const records::RecordBatchHeader& header, int64_t timestamp) const {
    std::pair<int64_t, int64_t> batch_level(header.base_offset, header.max_timestamp);
    std::vector<uint8_t> batch(header.size_bytes());
    TRIBUTARY_TRY(n, log_->pread(pos, batch));
    if (n != batch.size()) return common::Errc::Truncated;
    auto it = records::RecordIterator::open(batch, kMaxDecompressedBytes);
    if (!it) return batch_level;  // a batch the iterator cannot open: answer at batch level
    while (true) {
        auto record = it.value().next();
        if (!record || !record.value()) return batch_level;
        int64_t ts = it.value().timestamp_of(*record.value());
        if (ts >= timestamp) return std::pair(it.value().offset_of(*record.value()), ts);
    }
}

Result<std::optional<std::pair<int64_t, int64_t>>> Segment::find_timestamp(
    int64_t timestamp) const {
    using Found = std::optional<std::pair<int64_t, int64_t>>;
    if (max_timestamp_ < timestamp) return Found{};
    uint64_t pos = 0;
    if (auto entry = time_index_.lookup_before(timestamp)) {
        if (auto at = index_.lookup(entry->offset)) pos = at->position;
    }
    while (true) {
        TRIBUTARY_TRY(header, header_at(pos));
        if (!header) return Found{};
        if (header->max_timestamp >= timestamp) {
            TRIBUTARY_TRY(record, first_record_at(pos, *header, timestamp));
            return Found(record);
        }
        pos += header->size_bytes();
    }
}

Result<void> Segment::headers_from(int64_t offset,
                                   std::vector<records::RecordBatchHeader>& out) const {
    TRIBUTARY_TRY(found, locate(offset));
    auto [pos, header] = found;
    while (header) {
        out.push_back(*header);
        pos += header->size_bytes();
        TRIBUTARY_TRY(next, header_at(pos));
        header = next;
    }
    return common::ok();
}

Result<void> Segment::truncate_to(int64_t offset) {
    TRIBUTARY_TRY(found, locate(offset));
    auto [pos, header] = found;
    if (!header) return common::ok();
    invalidate_header_window();
    TRIBUTARY_TRY(log_->truncate(pos));
    TRIBUTARY_TRY(index_.truncate_from(header->base_offset));
    TRIBUTARY_TRY(time_index_.truncate_from(header->base_offset));
    unflushed_ = true;
    TRIBUTARY_TRY(load_tail());
    return load_first_append();
}

Result<void> Segment::flush() {
    if (!unflushed_) return common::ok();
    TRIBUTARY_TRY(log_->sync());
    unflushed_ = false;
    return common::ok();
}

Result<void> Segment::seal() {
    if (offset_of_max_timestamp_ >= 0) {
        TRIBUTARY_TRY(time_index_.append(max_timestamp_, offset_of_max_timestamp_));
    }
    TRIBUTARY_TRY(index_.sync());
    return time_index_.sync();
}

Result<void> Segment::remove_files() {
    TRIBUTARY_TRY(io_.remove_file(log_path_));
    TRIBUTARY_TRY(io_.remove_file(join_path(dir_, file_name(base_offset_, ".index"))));
    return io_.remove_file(join_path(dir_, file_name(base_offset_, ".timeindex")));
}

int64_t Segment::largest_timestamp() const {
    return max_timestamp_ >= 0 ? max_timestamp_ : last_append_ms_;
}

}  // namespace broker::storage
