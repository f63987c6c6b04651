#pragma once
// LogManager: every partition log under `log.dirs`. Opens (and recovers) each partition
// directory at start, creates logs in the directory holding the fewest, deletes them (rename to
// `*.deleted`, then remove), and runs retention, flushes and checkpoints when its caller's timer
// says so (storage has no timers of its own). Owns its logs. The map of logs is guarded by a
// mutex, so shards may get, create and remove logs concurrently; each Log itself belongs to the
// shard that owns its partition, so the calls that touch every log (run_retention, flush_all,
// checkpoint_all, close) must run where no shard is using them (at shutdown, or with one
// LogManager per shard). A shard can instead call Log::run_retention on its own logs.

#include <compare>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "broker/storage/log.h"

namespace broker::storage {

struct TopicPartition {
    std::string topic;
    int32_t partition = 0;
    auto operator<=>(const TopicPartition&) const = default;
};

// `<topic>-<partition>`, the directory name of a partition log.
std::string partition_dir_name(const TopicPartition& tp);
// The inverse; nullopt for names that are not partition directories.
std::optional<TopicPartition> parse_partition_dir(const std::string& name);
// Kafka's rule: 1..249 characters of [a-zA-Z0-9._-], not "." or "..".
bool is_valid_topic_name(const std::string& topic);

class LogManager {
  public:
    // Opens every partition directory under each of `log_dirs` (created when missing) with
    // `defaults`; removes leftovers of interrupted deletions.
    static Result<std::unique_ptr<LogManager>> open(FileIo& io, std::vector<std::string> log_dirs,
                                                    LogConfig defaults,
                                                    Clock clock = system_clock_ms);

    // The open log, or nullptr.
    Log* get(const TopicPartition& tp) const;
    // The log of `tp`, created when missing; an existing log takes `config`.
    Result<Log*> get_or_create(const TopicPartition& tp, const LogConfig& config);
    // Deletes the log and its directory; a missing log is not an error.
    Result<void> remove(const TopicPartition& tp);

    // Retention on every log at `now_ms`; returns how many segments were deleted. A log that
    // fails is logged and skipped.
    int run_retention(int64_t now_ms);
    // flush() then checkpoint() on every log (periodic checkpoints; a clean shutdown).
    Result<void> flush_all();
    Result<void> checkpoint_all();
    Result<void> close();

    std::vector<TopicPartition> partitions() const;
    const std::vector<std::string>& log_dirs() const { return dirs_; }
    const LogConfig& defaults() const { return defaults_; }

  private:
    LogManager(FileIo& io, std::vector<std::string> dirs, LogConfig defaults, Clock clock)
        : io_(io), dirs_(std::move(dirs)), defaults_(defaults), clock_(std::move(clock)) {}

    Result<void> load_dir(const std::string& dir);
    const std::string& least_loaded_dir() const;

    struct Entry {
        std::string parent;  // the log.dirs entry holding it
        std::unique_ptr<Log> log;
    };

    FileIo& io_;
    std::vector<std::string> dirs_;
    LogConfig defaults_;
    Clock clock_;
    mutable std::mutex mu_;  // guards logs_ (the map, not the logs)
    std::map<TopicPartition, Entry> logs_;
};

}  // namespace broker::storage
