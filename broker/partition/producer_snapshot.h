#pragma once
// Producer-state snapshots: the ProducerStateTable of a partition as of a log offset, in a small
// checksummed file `<offset, 20 digits>.producer_snapshot` inside the partition's directory.
// At open, the newest readable snapshot is loaded and the log after its offset is replayed.
// Free functions; no state of their own.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

#include "broker/partition/producer_state.h"
#include "common/result.h"

namespace broker::partition {

inline constexpr const char* kSnapshotSuffix = ".producer_snapshot";

// Byte image of a table as of `offset` (the log end offset the state covers).
std::vector<uint8_t> encode_producer_snapshot(const ProducerStateTable& table, int64_t offset);

struct LoadedSnapshot {
    int64_t offset = 0;  // the state covers every batch below this offset
    ProducerStateTable table;
};

// Decodes a snapshot image. Errors: common::Errc::Truncated / Malformed / CorruptData.
[[nodiscard]] common::Result<LoadedSnapshot> decode_producer_snapshot(
    std::span<const uint8_t> bytes);

// Writes a snapshot durably (temp file, fdatasync, rename, directory fsync) and removes all
// but the newest `keep` snapshots. Errors: common::Errc::IoError.
[[nodiscard]] common::Result<void> write_producer_snapshot(const std::filesystem::path& dir,
                                                           const ProducerStateTable& table,
                                                           int64_t offset, size_t keep = 2);

// The newest snapshot in `dir` that decodes and whose offset is <= max_offset (a snapshot beyond
// the log's end, e.g. after a torn tail was truncated, is ignored). nullopt when there is none.
std::optional<LoadedSnapshot> load_latest_producer_snapshot(const std::filesystem::path& dir,
                                                            int64_t max_offset);

}  // namespace broker::partition
