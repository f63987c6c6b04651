#pragma once
// The bytes DiskLogStorage writes, and their bounds-checked decoding. Big-endian throughout.
//
// Log segment `<first index, 20 digits>.log`: a sequence of entry records
//   uint32 body_size | uint32 crc32c(body) | body = int64 index | int64 term | int8 type | payload
// Hard state `hard_state`:  "TRHS" | uint16 version 1 | int64 term | int32 voted_for | uint32 crc
// Snapshot `snapshot`:      "TRSN" | uint16 version 1 | int64 index | int64 term |
//                           uint32 membership size | membership | uint64 data size | data |
//                           uint32 crc32c of everything before it
// Small files are replaced atomically (write_file_atomically). Pure functions except that one.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "broker/raft/membership.h"
#include "broker/raft/types.h"
#include "broker/storage/file_io.h"
#include "common/result.h"

namespace broker::raft::disk {

inline constexpr size_t kRecordHeaderBytes = 8;      // body_size + crc
inline constexpr size_t kRecordBodyFixedBytes = 17;  // index + term + type
inline constexpr const char* kHardStateFile = "hard_state";
inline constexpr const char* kSnapshotFile = "snapshot";
inline constexpr const char* kSegmentSuffix = ".log";

// Appends one entry record to `out`.
void append_record(std::vector<uint8_t>& out, const Entry& entry);
// Bytes append_record writes for `entry`.
size_t record_size(const Entry& entry);

// What decode_record found at the start of `data`.
struct RecordView {
    Entry entry;
    size_t size = 0;  // bytes of the whole record
};
// nullopt when `data` does not start with a whole, intact record (short, bad size, bad CRC,
// unknown type): the torn or corrupt tail recovery cuts.
std::optional<RecordView> decode_record(std::span<const uint8_t> data, uint32_t max_body_bytes);

std::vector<uint8_t> encode_hard_state(const HardState& state);
[[nodiscard]] common::Result<HardState> decode_hard_state(std::span<const uint8_t> data);

std::vector<uint8_t> encode_snapshot(const SnapshotMeta& meta, std::span<const uint8_t> data);
struct SnapshotFile {
    SnapshotMeta meta;
    Bytes data;
};
[[nodiscard]] common::Result<SnapshotFile> decode_snapshot(std::span<const uint8_t> file);

// "<dir>/<index padded to 20 digits>.log", and back (nullopt for other names).
std::string segment_name(Index first_index);
std::optional<Index> parse_segment_name(const std::string& name);

// Replaces dir/name with `bytes`: write dir/name.tmp, fdatasync, rename, sync the directory.
[[nodiscard]] common::Result<void> write_file_atomically(storage::FileIo& io,
                                                         const std::string& dir,
                                                         const std::string& name,
                                                         std::span<const uint8_t> bytes);
// The whole content of dir/name; Errc::NotFound when missing.
[[nodiscard]] common::Result<Bytes> read_whole_file(storage::FileIo& io, const std::string& path);

}  // namespace broker::raft::disk
