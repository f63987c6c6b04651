// Log: opening a partition directory and recovering it after a crash.
#include <charconv>

#include "broker/storage/errc.h"
#include "broker/storage/log.h"
#include "common/log.h"

namespace broker::storage {
namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The base offset named by `<20 digits><suffix>`, if `name` has that form.
std::optional<int64_t> parse_base(const std::string& name, std::string_view suffix) {
    if (name.size() != 20 + suffix.size() || !ends_with(name, suffix)) return std::nullopt;
    int64_t base = 0;
    auto [end, ec] = std::from_chars(name.data(), name.data() + 20, base);
    if (ec != std::errc() || end != name.data() + 20 || base < 0) return std::nullopt;
    return base;
}

}  // namespace

Result<std::unique_ptr<Log>> Log::open(FileIo& io, std::string dir, LogConfig config, Clock clock) {
    TRIBUTARY_TRY(validate(config));
    TRIBUTARY_TRY(io.create_dirs(dir));
    std::unique_ptr<Log> log(new Log(io, std::move(dir), config, std::move(clock)));
    TRIBUTARY_TRY(log->load());
    return log;
}

// Lists the segment base offsets and removes leftovers: temporary files, `.deleted` files and
// indexes whose log file is gone.
Result<std::vector<int64_t>> Log::scan_dir() {
    TRIBUTARY_TRY(names, io_.list_dir(dir_));
    std::vector<int64_t> bases;
    for (const auto& name : names) {
        if (auto base = parse_base(name, ".log")) bases.push_back(*base);
    }
    std::sort(bases.begin(), bases.end());
    for (const auto& name : names) {
        auto base = parse_base(name, ".index");
        if (!base) base = parse_base(name, ".timeindex");
        bool orphan = base && !std::binary_search(bases.begin(), bases.end(), *base);
        if (orphan || ends_with(name, ".tmp") || ends_with(name, ".deleted")) {
            TRIBUTARY_TRY(io_.remove_file(join_path(dir_, name)));
        }
    }
    return bases;
}

Result<void> Log::load() {
    TRIBUTARY_TRY(finish_interrupted_compactions(io_, dir_));
    TRIBUTARY_TRY(bases, scan_dir());
    auto cp = read_checkpoint(io_, dir_);
    int64_t recovery_point = cp ? cp->recovery_point : 0;
    log_start_ = cp ? cp->log_start_offset : 0;
    if (bases.empty()) {
        TRIBUTARY_TRY(segment, Segment::create(io_, dir_, log_start_, config_.index_interval_bytes,
                                               clock_()));
        segments_.emplace(log_start_, std::move(segment));
        dir_dirty_ = true;
    } else {
        TRIBUTARY_TRY(load_segments(bases, recovery_point));
    }
    log_start_ = std::max(log_start_, segments_.begin()->first);
    if (log_start_ > log_end_offset()) {
        common::log::get("storage")->warn(
            "log {}: log start offset {} is past the recovered end {}; restarting empty there",
            dir_, log_start_, log_end_offset());
        return truncate_fully_and_start_at(log_start_);
    }
    TRIBUTARY_TRY(flush());
    return checkpoint();
}

// Segments below the one holding the recovery point were flushed: open them trusting their
// batches. That one and every later one are recovered batch by batch.
Result<void> Log::load_segments(const std::vector<int64_t>& bases, int64_t recovery_point) {
    auto first_unsafe = std::upper_bound(bases.begin(), bases.end(), recovery_point);
    if (first_unsafe != bases.begin()) --first_unsafe;
    const int64_t now = clock_();
    const int32_t interval = config_.index_interval_bytes;
    std::optional<int64_t> recover_base;
    for (auto it = bases.begin(); it != bases.end(); ++it) {
        std::unique_ptr<Segment> segment;
        if (!recover_base && it <= first_unsafe) {
            auto opened = Segment::open(io_, dir_, *it, interval, now, true);
            if (opened) {
                segment = std::move(opened).value();
            } else if (it < first_unsafe) {
                common::log::get("storage")->warn("log {}: flushed segment {} is damaged ({})",
                                                  dir_, *it, opened.error().message());
            }
            // The segment holding the recovery point is safe only if nothing follows that point.
            bool safe = segment && (it < first_unsafe || segment->next_offset() <= recovery_point);
            if (!safe) recover_base = *it;
        } else {
            recover_base = recover_base.value_or(*it);
        }
        if (!segment) {
            TRIBUTARY_TRY(reopened, Segment::open(io_, dir_, *it, interval, now, false));
            segment = std::move(reopened);
        }
        segments_.emplace(*it, std::move(segment));
    }
    if (!recover_base) return common::ok();
    return recover_from(segments_.find(*recover_base));
}

// Validates the segments from `it` on; at the first bad batch cuts that segment there and
// deletes every later segment.
Result<void> Log::recover_from(std::map<int64_t, std::unique_ptr<Segment>>::iterator it) {
    for (; it != segments_.end(); ++it) {
        TRIBUTARY_TRY(found, it->second->recover());
        if (found.truncated_bytes == 0) {
            if (std::next(it) != segments_.end()) {
                TRIBUTARY_TRY(it->second->seal());
            }
            continue;
        }
        common::log::get("storage")->warn(
            "log {}: segment {} has a bad tail ({}): truncated {} bytes at position {}; log end "
            "offset now {}",
            dir_, it->first, found.reason.message(), found.truncated_bytes, found.valid_bytes,
            it->second->next_offset());
        while (std::next(it) != segments_.end()) {
            auto later = std::prev(segments_.end());
            TRIBUTARY_TRY(later->second->remove_files());
            segments_.erase(later);
        }
        dir_dirty_ = true;
        break;
    }
    return common::ok();
}

}  // namespace broker::storage
