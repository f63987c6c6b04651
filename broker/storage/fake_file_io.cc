#include "broker/storage/fake_file_io.h"

#include <algorithm>

namespace broker::storage {
namespace {

std::error_code io_error() {
    return std::make_error_code(std::errc::io_error);
}
std::error_code not_found() {
    return std::make_error_code(std::errc::no_such_file_or_directory);
}

std::string parent_of(const std::string& path) {
    auto slash = path.find_last_of('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

bool is_under(const std::string& path, const std::string& dir) {
    return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
           path[dir.size()] == '/';
}

}  // namespace

// A handle on one in-memory file; every call locks the owning FakeFileIo.
class FakeFile final : public File {
  public:
    FakeFile(FakeFileIo* io, std::shared_ptr<FakeFileIo::Node> node)
        : io_(io), node_(std::move(node)) {}

    Result<void> append(std::span<const uint8_t> data) override {
        std::lock_guard lock(io_->mu_);
        if (io_->fail_writes_) return io_error();
        node_->data.insert(node_->data.end(), data.begin(), data.end());
        return common::ok();
    }

    Result<size_t> pread(uint64_t pos, std::span<uint8_t> out) const override {
        std::lock_guard lock(io_->mu_);
        if (pos >= node_->data.size()) return size_t{0};
        size_t n = std::min<size_t>(out.size(), node_->data.size() - pos);
        std::copy_n(node_->data.begin() + static_cast<std::ptrdiff_t>(pos), n, out.begin());
        return n;
    }

    Result<void> sync() override {
        std::lock_guard lock(io_->mu_);
        if (io_->fail_writes_) return io_error();
        node_->durable = node_->data;
        ++io_->sync_count_;
        return common::ok();
    }

    Result<void> truncate(uint64_t size) override {
        std::lock_guard lock(io_->mu_);
        if (io_->fail_writes_) return io_error();
        node_->data.resize(size);
        return common::ok();
    }

    uint64_t size() const override {
        std::lock_guard lock(io_->mu_);
        return node_->data.size();
    }

  private:
    FakeFileIo* io_;
    std::shared_ptr<FakeFileIo::Node> node_;
};

Result<std::shared_ptr<File>> FakeFileIo::open(const std::string& path, OpenMode mode) {
    std::lock_guard lock(mu_);
    auto it = files_.find(path);
    if (it == files_.end()) {
        if (mode == OpenMode::Read || mode == OpenMode::ReadWrite) return not_found();
        if (!dirs_.contains(parent_of(path))) return not_found();
        it = files_.emplace(path, std::make_shared<Node>()).first;
    } else if (mode == OpenMode::Truncate) {
        it->second->data.clear();
    }
    return std::shared_ptr<File>(std::make_shared<FakeFile>(this, it->second));
}

Result<void> FakeFileIo::rename(const std::string& from, const std::string& to) {
    std::lock_guard lock(mu_);
    if (auto it = files_.find(from); it != files_.end()) {
        files_[to] = it->second;
        files_.erase(from);
        return common::ok();
    }
    if (!dirs_.contains(from)) return not_found();
    std::map<std::string, std::shared_ptr<Node>> moved;
    for (auto it = files_.begin(); it != files_.end();) {
        if (is_under(it->first, from)) {
            moved[to + it->first.substr(from.size())] = it->second;
            it = files_.erase(it);
        } else {
            ++it;
        }
    }
    files_.merge(moved);
    std::set<std::string> moved_dirs;
    for (auto it = dirs_.begin(); it != dirs_.end();) {
        if (*it == from || is_under(*it, from)) {
            moved_dirs.insert(to + it->substr(from.size()));
            it = dirs_.erase(it);
        } else {
            ++it;
        }
    }
    dirs_.merge(moved_dirs);
    return common::ok();
}

Result<void> FakeFileIo::remove_file(const std::string& path) {
    std::lock_guard lock(mu_);
    files_.erase(path);
    return common::ok();
}

Result<void> FakeFileIo::remove_all(const std::string& path) {
    std::lock_guard lock(mu_);
    std::erase_if(files_,
                  [&](const auto& f) { return f.first == path || is_under(f.first, path); });
    std::erase_if(dirs_, [&](const auto& d) { return d == path || is_under(d, path); });
    return common::ok();
}

Result<void> FakeFileIo::create_dirs(const std::string& path) {
    std::lock_guard lock(mu_);
    for (std::string dir = path; !dir.empty(); dir = parent_of(dir)) dirs_.insert(dir);
    return common::ok();
}

Result<std::vector<std::string>> FakeFileIo::list_dir(const std::string& path) {
    std::lock_guard lock(mu_);
    if (!dirs_.contains(path)) return not_found();
    std::set<std::string> names;
    auto add_child = [&](const std::string& full) {
        if (is_under(full, path) && full.find('/', path.size() + 1) == std::string::npos) {
            names.insert(full.substr(path.size() + 1));
        }
    };
    for (const auto& f : files_) add_child(f.first);
    for (const auto& d : dirs_) add_child(d);
    return std::vector<std::string>(names.begin(), names.end());
}

bool FakeFileIo::exists(const std::string& path) {
    std::lock_guard lock(mu_);
    return files_.contains(path) || dirs_.contains(path);
}

bool FakeFileIo::is_dir(const std::string& path) {
    std::lock_guard lock(mu_);
    return dirs_.contains(path);
}

Result<void> FakeFileIo::sync_dir(const std::string& path) {
    std::lock_guard lock(mu_);
    if (!dirs_.contains(path)) return not_found();
    return common::ok();
}

void FakeFileIo::crash() {
    std::lock_guard lock(mu_);
    for (auto& [path, node] : files_) node->data = node->durable;
}

void FakeFileIo::crash_tearing(const std::string& path, size_t keep_bytes) {
    std::lock_guard lock(mu_);
    for (auto& [name, node] : files_) {
        std::vector<uint8_t> kept = node->durable;
        if (name == path && node->data.size() > kept.size() &&
            std::equal(kept.begin(), kept.end(), node->data.begin())) {
            size_t extra = std::min(keep_bytes, node->data.size() - kept.size());
            auto from = node->data.begin() + static_cast<std::ptrdiff_t>(kept.size());
            kept.insert(kept.end(), from, from + static_cast<std::ptrdiff_t>(extra));
        }
        node->data = kept;
        node->durable = kept;
    }
}

void FakeFileIo::corrupt(const std::string& path, uint64_t pos) {
    std::lock_guard lock(mu_);
    auto it = files_.find(path);
    if (it == files_.end()) return;
    if (pos < it->second->data.size()) it->second->data[pos] ^= 0xFF;
    if (pos < it->second->durable.size()) it->second->durable[pos] ^= 0xFF;
}

void FakeFileIo::set_fail_writes(bool fail) {
    std::lock_guard lock(mu_);
    fail_writes_ = fail;
}

std::vector<uint8_t> FakeFileIo::contents(const std::string& path) {
    std::lock_guard lock(mu_);
    auto it = files_.find(path);
    return it == files_.end() ? std::vector<uint8_t>{} : it->second->data;
}

size_t FakeFileIo::synced_size(const std::string& path) {
    std::lock_guard lock(mu_);
    auto it = files_.find(path);
    return it == files_.end() ? 0 : it->second->durable.size();
}

uint64_t FakeFileIo::sync_count() {
    std::lock_guard lock(mu_);
    return sync_count_;
}

}  // namespace broker::storage
