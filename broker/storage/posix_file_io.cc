#include "broker/storage/posix_file_io.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

namespace broker::storage {
namespace {

std::error_code last_error() {
    return {errno, std::system_category()};
}

// A file descriptor with a cached size; the size changes only through this object.
class PosixFile final : public File {
  public:
    PosixFile(int fd, uint64_t size) : fd_(fd), size_(size) {}
    ~PosixFile() override { ::close(fd_); }
    PosixFile(const PosixFile&) = delete;
    PosixFile& operator=(const PosixFile&) = delete;

    Result<void> append(std::span<const uint8_t> data) override {
        size_t done = 0;
        while (done < data.size()) {
            ssize_t n = ::pwrite(fd_, data.data() + done, data.size() - done,
                                 static_cast<off_t>(size_ + done));
            if (n < 0) {
                if (errno == EINTR) continue;
                auto ec = last_error();
                size_ += done;
                return ec;
            }
            done += static_cast<size_t>(n);
        }
        size_ += done;
        return common::ok();
    }

    Result<size_t> pread(uint64_t pos, std::span<uint8_t> out) const override {
        size_t done = 0;
        while (done < out.size()) {
            ssize_t n =
                ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(pos + done));
            if (n < 0) {
                if (errno == EINTR) continue;
                return last_error();
            }
            if (n == 0) break;
            done += static_cast<size_t>(n);
        }
        return done;
    }

    Result<void> sync() override {
        if (::fdatasync(fd_) != 0) return last_error();
        return common::ok();
    }

    Result<void> truncate(uint64_t size) override {
        if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return last_error();
        size_ = size;
        return common::ok();
    }

    uint64_t size() const override { return size_; }
    int native_handle() const override { return fd_; }

  private:
    int fd_;
    uint64_t size_;
};

int open_flags(OpenMode mode) {
    switch (mode) {
        case OpenMode::Read:
            return O_RDONLY;
        case OpenMode::ReadWrite:
            return O_RDWR;
        case OpenMode::ReadWriteCreate:
            return O_RDWR | O_CREAT;
        case OpenMode::Truncate:
            return O_RDWR | O_CREAT | O_TRUNC;
    }
    return O_RDONLY;
}

}  // namespace

std::string join_path(const std::string& dir, const std::string& name) {
    if (dir.empty()) return name;
    if (dir.back() == '/') return dir + name;
    return dir + "/" + name;
}

Result<std::shared_ptr<File>> PosixFileIo::open(const std::string& path, OpenMode mode) {
    int fd = ::open(path.c_str(), open_flags(mode) | O_CLOEXEC, 0644);
    if (fd < 0) return last_error();
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        auto ec = last_error();
        ::close(fd);
        return ec;
    }
    return std::shared_ptr<File>(
        std::make_shared<PosixFile>(fd, static_cast<uint64_t>(st.st_size)));
}

Result<void> PosixFileIo::rename(const std::string& from, const std::string& to) {
    if (::rename(from.c_str(), to.c_str()) != 0) return last_error();
    return common::ok();
}

Result<void> PosixFileIo::remove_file(const std::string& path) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return last_error();
    return common::ok();
}

Result<void> PosixFileIo::remove_all(const std::string& path) {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    if (ec) return ec;
    return common::ok();
}

Result<void> PosixFileIo::create_dirs(const std::string& path) {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return ec;
    return common::ok();
}

Result<std::vector<std::string>> PosixFileIo::list_dir(const std::string& path) {
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) return last_error();
    std::vector<std::string> names;
    while (const dirent* entry = ::readdir(dir)) {
        std::string name = entry->d_name;
        if (name != "." && name != "..") names.push_back(std::move(name));
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
}

bool PosixFileIo::exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

bool PosixFileIo::is_dir(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Result<void> PosixFileIo::sync_dir(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return last_error();
    int rc = ::fsync(fd);
    auto ec = last_error();
    ::close(fd);
    if (rc != 0) return ec;
    return common::ok();
}

}  // namespace broker::storage
