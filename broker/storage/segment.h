#pragma once
// Segment: one `<base offset, 20 digits>.log` file of magic-v2 record batches, stored as the
// log appended them, with its sparse `.index` (offset -> position) and `.timeindex` (max
// timestamp -> offset). Owned by its Log (unique_ptr); the log file itself is shared with
// in-flight reads (FileSlice). Used only by the shard that owns the log.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "broker/storage/file_io.h"
#include "broker/storage/offset_index.h"
#include "broker/storage/time_index.h"
#include "common/protocol/records/record_batch.h"

namespace broker::storage {

// A byte range of a segment file that holds whole batches. Keeps the file open, so it stays
// readable after retention deletes the segment.
struct FileSlice {
    std::shared_ptr<File> file;
    uint64_t position = 0;
    uint64_t size = 0;
};

// What the log knows of one batch it is about to append (offsets already assigned).
struct BatchMeta {
    int64_t base_offset;
    int64_t last_offset;
    int64_t max_timestamp;
    uint32_t size;
};

// Part of a read served by one segment.
struct SegmentRead {
    FileSlice slice;
    int64_t last_offset;  // of the last batch in the slice
};

// What recovery found in one segment.
struct SegmentRecovery {
    uint64_t valid_bytes = 0;
    uint64_t truncated_bytes = 0;
    std::error_code reason;  // why the tail was cut (Truncated for a torn batch, CorruptData...)
};

class Segment {
  public:
    // Bound on a batch's decompressed size when looking inside it for a timestamp.
    static constexpr size_t kMaxDecompressedBytes = 256 * 1024 * 1024;

    // Creates a new, empty segment (replacing leftover files of the same name).
    static Result<std::unique_ptr<Segment>> create(FileIo& io, const std::string& dir,
                                                   int64_t base_offset, int32_t index_interval,
                                                   int64_t now_ms);
    // Opens an existing segment. `trusted`: it was flushed, so its batches are trusted, its
    // indexes loaded (rebuilt from the log when missing or damaged) and its end found from the
    // batch headers. Otherwise nothing is read: the caller must call recover().
    static Result<std::unique_ptr<Segment>> open(FileIo& io, const std::string& dir,
                                                 int64_t base_offset, int32_t index_interval,
                                                 int64_t now_ms, bool trusted = true);
    // Validates every batch from the start (framing, CRC, increasing offsets), cuts the log
    // at the first bad or torn batch and rebuilds both indexes.
    Result<SegmentRecovery> recover();

    // Appends `bytes`, the concatenation of the batches `metas` describes.
    Result<void> append(std::span<const uint8_t> bytes, std::span<const BatchMeta> metas,
                        int64_t now_ms);
    // Whole batches starting with the one that contains `offset`, none reaching `max_offset`,
    // at most `max_bytes` unless `at_least_one` lets the first batch exceed it. nullopt when
    // no batch qualifies.
    Result<std::optional<SegmentRead>> read(int64_t offset, uint64_t max_bytes, int64_t max_offset,
                                            bool at_least_one) const;
    // The first record whose timestamp is >= `timestamp`: {its offset, its timestamp}. Found
    // through the first batch whose max timestamp is large enough (decompressed if needed).
    Result<std::optional<std::pair<int64_t, int64_t>>> find_timestamp(int64_t timestamp) const;
    // Appends to `out` the headers of the batches from the one containing `offset` to the end.
    Result<void> headers_from(int64_t offset,
                              std::vector<common::records::RecordBatchHeader>& out) const;
    // Removes every batch from the one containing `offset` on.
    Result<void> truncate_to(int64_t offset);
    // Makes appended batches durable (fdatasync of the log file only).
    Result<void> flush();
    // Called when the segment stops being the active one: final time index entry, index sync.
    Result<void> seal();
    // Deletes the three files (the log file first, so a crash leaves no half segment).
    Result<void> remove_files();

    int64_t base_offset() const { return base_offset_; }
    int64_t next_offset() const { return next_offset_; }
    uint64_t size() const { return log_->size(); }
    bool empty() const { return log_->size() == 0; }
    // Newest batch timestamp, or the last append time when batches carry none.
    int64_t largest_timestamp() const;
    // Newest batch timestamp (-1 when none) and the base offset of the batch that carries it.
    int64_t max_timestamp() const { return max_timestamp_; }
    int64_t offset_of_max_timestamp() const { return offset_of_max_timestamp_; }
    // When the segment got its first batch (the first batch's timestamp after a reopen).
    std::optional<int64_t> first_append_ms() const { return first_append_ms_; }
    bool unflushed() const { return unflushed_; }
    const std::string& log_path() const { return log_path_; }

    static std::string file_name(int64_t base_offset, const char* suffix);

  private:
    Segment(FileIo& io, std::string dir, int64_t base_offset, int32_t index_interval,
            std::shared_ptr<File> log, OffsetIndex index, TimeIndex time_index);

    // The header of the batch at `pos`; nullopt at the end of the file; Truncated for a partial
    // batch. Reads through a per-thread window of the file.
    Result<std::optional<common::records::RecordBatchHeader>> header_at(uint64_t pos) const;
    // Forgets cached header bytes; called whenever the file shrinks.
    void invalidate_header_window();
    // Position of the first batch whose last offset is >= `offset` (end of file if none),
    // and that batch's header.
    Result<std::pair<uint64_t, std::optional<common::records::RecordBatchHeader>>> locate(
        int64_t offset) const;
    Result<void> track(const BatchMeta& meta, uint64_t position);
    // The first record of the batch at `pos` with a timestamp >= `timestamp`.
    Result<std::pair<int64_t, int64_t>> first_record_at(
        uint64_t pos, const common::records::RecordBatchHeader& header, int64_t timestamp) const;
    // Rescans batch headers after the last index entry: next offset, max timestamp.
    Result<void> load_tail();
    Result<void> rebuild_indexes();
    Result<void> load_first_append();

    FileIo& io_;
    std::string dir_;
    std::string log_path_;
    int64_t base_offset_;
    int32_t index_interval_;
    std::shared_ptr<File> log_;
    OffsetIndex index_;
    TimeIndex time_index_;
    int64_t next_offset_;
    int64_t max_timestamp_ = -1;
    int64_t offset_of_max_timestamp_ = -1;
    uint64_t bytes_since_index_ = 0;
    int64_t last_append_ms_ = 0;
    std::optional<int64_t> first_append_ms_;
    bool unflushed_ = false;
    uint64_t window_owner_ = 0;
};

}  // namespace broker::storage
