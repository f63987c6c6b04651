#pragma once
// FileIo: the seam between the storage engine and the file system (LevelDB's Env idea).
// PosixFileIo is the real one; FakeFileIo keeps files in memory and can simulate a crash that
// loses unsynced bytes or tears the last write. Every call returns a Result; nothing throws.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace broker::storage {

using common::Result;

// One open file. Owned through shared_ptr so a fetch can keep reading a segment that retention
// has just unlinked. Not thread-safe: used by the shard that owns the log.
class File {
  public:
    virtual ~File() = default;

    // Appends at the end of the file (O_APPEND semantics).
    [[nodiscard]] virtual Result<void> append(std::span<const uint8_t> data) = 0;
    // Reads up to out.size() bytes at pos; returns how many were read (short only at end of file).
    [[nodiscard]] virtual Result<size_t> pread(uint64_t pos, std::span<uint8_t> out) const = 0;
    // Makes the file's data durable (fdatasync).
    [[nodiscard]] virtual Result<void> sync() = 0;
    [[nodiscard]] virtual Result<void> truncate(uint64_t size) = 0;
    virtual uint64_t size() const = 0;
    // The OS descriptor for zero-copy sendfile, or -1 when there is none (the fake).
    virtual int native_handle() const { return -1; }
};

enum class OpenMode {
    Read,             // existing file, read only
    ReadWrite,        // existing file
    ReadWriteCreate,  // created when missing, kept otherwise
    Truncate,         // created when missing, emptied otherwise
};

// The file system operations the storage engine uses. Implementations are thread-safe.
class FileIo {
  public:
    virtual ~FileIo() = default;

    [[nodiscard]] virtual Result<std::shared_ptr<File>> open(const std::string& path,
                                                             OpenMode mode) = 0;
    // Atomically replaces `to` with `from` (rename(2)); works for files and directories.
    [[nodiscard]] virtual Result<void> rename(const std::string& from, const std::string& to) = 0;
    // Unlinks a file; a missing file is not an error.
    [[nodiscard]] virtual Result<void> remove_file(const std::string& path) = 0;
    // Removes a directory and everything in it; a missing directory is not an error.
    [[nodiscard]] virtual Result<void> remove_all(const std::string& path) = 0;
    // Creates a directory and its missing parents.
    [[nodiscard]] virtual Result<void> create_dirs(const std::string& path) = 0;
    // Names (not paths) of the entries of a directory, sorted.
    [[nodiscard]] virtual Result<std::vector<std::string>> list_dir(const std::string& path) = 0;
    virtual bool exists(const std::string& path) = 0;
    virtual bool is_dir(const std::string& path) = 0;
    // Makes the directory's entries (created, renamed, removed files) durable.
    [[nodiscard]] virtual Result<void> sync_dir(const std::string& path) = 0;
};

// Joins a directory and a name with one '/'.
std::string join_path(const std::string& dir, const std::string& name);

}  // namespace broker::storage
