#include "broker/raft/mem_log_storage.h"

#include "broker/raft/errc.h"

namespace broker::raft {

Index MemLogStorage::last_index() const {
    return live_.snapshot.index + static_cast<Index>(live_.entries.size());
}

common::Result<Term> MemLogStorage::term_at(Index index) const {
    if (index == live_.snapshot.index) {
        return live_.snapshot.term;
    }
    if (index < live_.snapshot.index) {
        return Errc::Compacted;
    }
    if (index > last_index()) {
        return Errc::Unavailable;
    }
    return live_.entries[static_cast<size_t>(index - live_.snapshot.index - 1)].term;
}

common::Result<std::vector<Entry>> MemLogStorage::read(Index from, Index to,
                                                       size_t max_bytes) const {
    if (from <= live_.snapshot.index) {
        return Errc::Compacted;
    }
    if (to > last_index() || from > to) {
        return Errc::Unavailable;
    }
    std::vector<Entry> out;
    size_t bytes = 0;
    for (Index i = from; i <= to; ++i) {
        const Entry& e = live_.entries[static_cast<size_t>(i - live_.snapshot.index - 1)];
        if (!out.empty() && bytes + e.payload.size() > max_bytes) {
            break;
        }
        bytes += e.payload.size();
        out.push_back(e);
    }
    return out;
}

common::Result<void> MemLogStorage::append(std::span<const Entry> entries) {
    Index expected = last_index() + 1;
    for (const Entry& e : entries) {
        if (e.index != expected++) {
            return Errc::Unavailable;
        }
    }
    live_.entries.insert(live_.entries.end(), entries.begin(), entries.end());
    return common::ok();
}

common::Result<void> MemLogStorage::truncate_suffix(Index from) {
    if (from <= live_.snapshot.index) {
        return Errc::Compacted;
    }
    if (from <= last_index()) {
        live_.entries.resize(static_cast<size_t>(from - live_.snapshot.index - 1));
    }
    return common::ok();
}

common::Result<void> MemLogStorage::save_hard_state(const HardState& state) {
    live_.hard_state = state;
    return common::ok();
}

common::Result<void> MemLogStorage::save_snapshot(const SnapshotMeta& meta, Bytes data) {
    auto term = term_at(meta.index);
    if (term && term.value() == meta.term && meta.index >= live_.snapshot.index) {
        auto drop = static_cast<size_t>(meta.index - live_.snapshot.index);
        live_.entries.erase(live_.entries.begin(),
                            live_.entries.begin() + static_cast<std::ptrdiff_t>(drop));
    } else {
        live_.entries.clear();
    }
    live_.snapshot = meta;
    live_.snapshot_data = std::move(data);
    return common::ok();
}

void MemLogStorage::flush(uint64_t seq) {
    pending_.emplace_back(seq, live_);
}

std::optional<uint64_t> MemLogStorage::complete_next_flush() {
    if (pending_.empty()) {
        return std::nullopt;
    }
    auto [seq, image] = std::move(pending_.front());
    pending_.pop_front();
    durable_ = std::move(image);
    return seq;
}

std::optional<uint64_t> MemLogStorage::complete_all_flushes() {
    std::optional<uint64_t> last;
    while (auto seq = complete_next_flush()) {
        last = seq;
    }
    return last;
}

void MemLogStorage::crash(size_t keep) {
    if (keep == 0) {
        live_ = durable_;
    } else if (keep <= pending_.size()) {
        live_ = pending_[keep - 1].second;
    }
    durable_ = live_;
    pending_.clear();
}

}  // namespace broker::raft
