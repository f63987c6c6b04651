#pragma once
// PosixFileIo: FileIo on POSIX calls (open/pwrite/pread/fdatasync/ftruncate/rename/unlink).
// Stateless and thread-safe; one instance can serve every log.

#include "broker/storage/file_io.h"

namespace broker::storage {

class PosixFileIo final : public FileIo {
  public:
    Result<std::shared_ptr<File>> open(const std::string& path, OpenMode mode) override;
    Result<void> rename(const std::string& from, const std::string& to) override;
    Result<void> remove_file(const std::string& path) override;
    Result<void> remove_all(const std::string& path) override;
    Result<void> create_dirs(const std::string& path) override;
    Result<std::vector<std::string>> list_dir(const std::string& path) override;
    bool exists(const std::string& path) override;
    bool is_dir(const std::string& path) override;
    Result<void> sync_dir(const std::string& path) override;
};

}  // namespace broker::storage
