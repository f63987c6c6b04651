#include "broker/storage/log_manager.h"

#include <charconv>

#include "broker/storage/errc.h"
#include "common/errc.h"
#include "common/log.h"

namespace broker::storage {
namespace {

constexpr std::string_view kDeletedSuffix = ".deleted";

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string partition_dir_name(const TopicPartition& tp) {
    return tp.topic + "-" + std::to_string(tp.partition);
}

bool is_valid_topic_name(const std::string& topic) {
    if (topic.empty() || topic.size() > 249 || topic == "." || topic == "..") return false;
    for (char c : topic) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

std::optional<TopicPartition> parse_partition_dir(const std::string& name) {
    auto dash = name.find_last_of('-');
    if (dash == std::string::npos || dash == 0 || dash + 1 == name.size()) return std::nullopt;
    int32_t partition = 0;
    const char* first = name.data() + dash + 1;
    const char* last = name.data() + name.size();
    auto [end, ec] = std::from_chars(first, last, partition);
    if (ec != std::errc() || end != last || partition < 0) return std::nullopt;
    TopicPartition tp{name.substr(0, dash), partition};
    if (!is_valid_topic_name(tp.topic)) return std::nullopt;
    return tp;
}

Result<std::unique_ptr<LogManager>> LogManager::open(FileIo& io, std::vector<std::string> log_dirs,
                                                     LogConfig defaults, Clock clock) {
    TRIBUTARY_TRY(validate(defaults));
    if (log_dirs.empty()) return Errc::InvalidConfig;
    std::unique_ptr<LogManager> manager(
        new LogManager(io, std::move(log_dirs), defaults, std::move(clock)));
    for (const auto& dir : manager->dirs_) {
        TRIBUTARY_TRY(manager->load_dir(dir));
    }
    return manager;
}

Result<void> LogManager::load_dir(const std::string& dir) {
    TRIBUTARY_TRY(io_.create_dirs(dir));
    TRIBUTARY_TRY(names, io_.list_dir(dir));
    for (const auto& name : names) {
        const std::string path = join_path(dir, name);
        if (!io_.is_dir(path)) continue;
        if (ends_with(name, kDeletedSuffix)) {
            TRIBUTARY_TRY(io_.remove_all(path));
            continue;
        }
        auto tp = parse_partition_dir(name);
        if (!tp) continue;
        if (logs_.contains(*tp)) {
            common::log::get("storage")->error("partition {} found twice (also in {}); using {}",
                                               name, logs_[*tp].parent, path);
            return common::Errc::AlreadyExists;
        }
        TRIBUTARY_TRY(log, Log::open(io_, path, defaults_, clock_));
        logs_.emplace(*tp, Entry{dir, std::move(log)});
    }
    common::log::get("storage")->info("loaded {} partition logs from {}", logs_.size(), dir);
    return common::ok();
}

Log* LogManager::get(const TopicPartition& tp) const {
    std::lock_guard lock(mu_);
    auto it = logs_.find(tp);
    return it == logs_.end() ? nullptr : it->second.log.get();
}

const std::string& LogManager::least_loaded_dir() const {
    std::map<std::string, size_t> counts;
    for (const auto& dir : dirs_) counts[dir] = 0;
    for (const auto& [tp, entry] : logs_) ++counts[entry.parent];
    const std::string* best = &dirs_.front();
    for (const auto& dir : dirs_) {
        if (counts[dir] < counts[*best]) best = &dir;
    }
    return *best;
}

Result<Log*> LogManager::get_or_create(const TopicPartition& tp, const LogConfig& config) {
    if (!is_valid_topic_name(tp.topic) || tp.partition < 0) return common::Errc::InvalidArgument;
    std::lock_guard lock(mu_);
    if (auto it = logs_.find(tp); it != logs_.end()) {
        TRIBUTARY_TRY(it->second.log->set_config(config));
        return it->second.log.get();
    }
    const std::string& parent = least_loaded_dir();
    TRIBUTARY_TRY(log, Log::open(io_, join_path(parent, partition_dir_name(tp)), config, clock_));
    TRIBUTARY_TRY(io_.sync_dir(parent));
    Log* raw = log.get();
    logs_.emplace(tp, Entry{parent, std::move(log)});
    return raw;
}

Result<void> LogManager::remove(const TopicPartition& tp) {
    std::lock_guard lock(mu_);
    auto it = logs_.find(tp);
    if (it == logs_.end()) return common::ok();
    const std::string parent = it->second.parent;
    const std::string dir = it->second.log->dir();
    logs_.erase(it);
    const std::string doomed = dir + std::string(kDeletedSuffix);
    TRIBUTARY_TRY(io_.remove_all(doomed));
    TRIBUTARY_TRY(io_.rename(dir, doomed));
    TRIBUTARY_TRY(io_.sync_dir(parent));
    common::log::get("storage")->info("deleted partition log {}", dir);
    return io_.remove_all(doomed);
}

int LogManager::run_retention(int64_t now_ms) {
    int deleted = 0;
    for (auto& [tp, entry] : logs_) {
        auto result = entry.log->run_retention(now_ms);
        if (result) {
            deleted += result.value();
        } else {
            common::log::get("storage")->warn("retention of {} failed: {}", partition_dir_name(tp),
                                              result.error().message());
        }
    }
    return deleted;
}

Result<void> LogManager::flush_all() {
    for (auto& [tp, entry] : logs_) {
        TRIBUTARY_TRY(entry.log->flush());
    }
    return common::ok();
}

Result<void> LogManager::checkpoint_all() {
    for (auto& [tp, entry] : logs_) {
        TRIBUTARY_TRY(entry.log->checkpoint());
    }
    return common::ok();
}

Result<void> LogManager::close() {
    std::error_code first_error;
    for (auto& [tp, entry] : logs_) {
        if (entry.log->offline()) continue;
        auto closed = entry.log->close();
        if (!closed && !first_error) first_error = closed.error();
    }
    if (first_error) return first_error;
    return common::ok();
}

std::vector<TopicPartition> LogManager::partitions() const {
    std::lock_guard lock(mu_);
    std::vector<TopicPartition> out;
    for (const auto& [tp, entry] : logs_) out.push_back(tp);
    return out;
}

}  // namespace broker::storage
