#pragma once
// Small files written so that a crash leaves either the old or the new content, never a mix.

#include <filesystem>
#include <string>

#include "common/result.h"

namespace broker::cluster {

// Writes `data` to `path`: a temp file beside it, fsync, rename over `path`, fsync of the
// directory. IoError on any failure (the old file, if any, is then unchanged).
[[nodiscard]] common::Result<void> write_file_durably(const std::filesystem::path& path,
                                                      const std::string& data);

// The whole file; NotFound when it does not exist, IoError when it cannot be read.
[[nodiscard]] common::Result<std::string> read_whole_file(const std::filesystem::path& path);

}  // namespace broker::cluster
