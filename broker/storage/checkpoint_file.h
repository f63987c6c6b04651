#pragma once
// The per-partition checkpoint file `<partition dir>/checkpoint`: the recovery point (every
// batch below it has been fsynced) and the log start offset. Written atomically (temporary
// file, fdatasync, rename, directory sync); read at open.

#include <cstdint>
#include <optional>
#include <string>

#include "broker/storage/file_io.h"

namespace broker::storage {

struct LogCheckpoint {
    int64_t recovery_point = 0;
    int64_t log_start_offset = 0;
    bool operator==(const LogCheckpoint&) const = default;
};

inline constexpr const char* kCheckpointFileName = "checkpoint";

// nullopt when the file is missing or unreadable (the caller then recovers every segment).
std::optional<LogCheckpoint> read_checkpoint(FileIo& io, const std::string& dir);
[[nodiscard]] Result<void> write_checkpoint(FileIo& io, const std::string& dir,
                                            const LogCheckpoint& checkpoint);

}  // namespace broker::storage
