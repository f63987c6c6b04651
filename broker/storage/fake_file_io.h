#pragma once
// FakeFileIo: an in-memory FileIo for tests. Each file keeps what the page cache holds and what
// has reached the "disk" (the bytes present at its last sync). crash() drops every unsynced byte,
// as a power loss would; crash_tearing() also keeps a prefix of one file's unsynced tail, as a
// torn write would. Directory operations are durable at once. Thread-safe; must outlive the
// files it opened.

#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "broker/storage/file_io.h"

namespace broker::storage {

class FakeFileIo final : public FileIo {
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

    // Power loss: every file goes back to the bytes it held at its last sync.
    void crash();
    // Power loss during a write to `path`: like crash(), but `path` keeps `keep_bytes` of the
    // bytes appended after its last sync.
    void crash_tearing(const std::string& path, size_t keep_bytes);
    // Flips the bits of one byte, in the cache and on the "disk".
    void corrupt(const std::string& path, uint64_t pos);
    // While set, append/truncate/sync fail with an I/O error (a full or failing disk).
    void set_fail_writes(bool fail);
    // The file's current bytes (empty when missing), and how many of them have been synced.
    std::vector<uint8_t> contents(const std::string& path);
    size_t synced_size(const std::string& path);
    // How many File::sync calls succeeded so far.
    uint64_t sync_count();

    // The state of one file, shared by every handle open on it.
    struct Node {
        std::vector<uint8_t> data;
        std::vector<uint8_t> durable;
    };

  private:
    friend class FakeFile;
    std::mutex mu_;
    std::map<std::string, std::shared_ptr<Node>> files_;
    std::set<std::string> dirs_;
    bool fail_writes_ = false;
    uint64_t sync_count_ = 0;
};

}  // namespace broker::storage
