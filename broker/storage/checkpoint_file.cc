#include "broker/storage/checkpoint_file.h"

#include <cinttypes>
#include <cstdio>

#include <fmt/format.h>

namespace broker::storage {

std::optional<LogCheckpoint> read_checkpoint(FileIo& io, const std::string& dir) {
    auto file = io.open(join_path(dir, kCheckpointFileName), OpenMode::Read);
    if (!file) return std::nullopt;
    std::string text(std::min<uint64_t>(file.value()->size(), 256), '\0');
    auto n =
        file.value()->pread(0, std::span(reinterpret_cast<uint8_t*>(text.data()), text.size()));
    if (!n) return std::nullopt;
    text.resize(n.value());
    LogCheckpoint cp;
    int version = 0;
    if (std::sscanf(text.c_str(), "%d\nrecovery_point %" SCNd64 "\nlog_start_offset %" SCNd64 "\n",
                    &version, &cp.recovery_point, &cp.log_start_offset) != 3 ||
        version != 1 || cp.recovery_point < 0 || cp.log_start_offset < 0) {
        return std::nullopt;
    }
    return cp;
}

Result<void> write_checkpoint(FileIo& io, const std::string& dir, const LogCheckpoint& cp) {
    std::string text = fmt::format("1\nrecovery_point {}\nlog_start_offset {}\n", cp.recovery_point,
                                   cp.log_start_offset);
    auto tmp_path = join_path(dir, std::string(kCheckpointFileName) + ".tmp");
    TRIBUTARY_TRY(file, io.open(tmp_path, OpenMode::Truncate));
    TRIBUTARY_TRY(
        file->append(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size())));
    TRIBUTARY_TRY(file->sync());
    TRIBUTARY_TRY(io.rename(tmp_path, join_path(dir, kCheckpointFileName)));
    return io.sync_dir(dir);
}

}  // namespace broker::storage
