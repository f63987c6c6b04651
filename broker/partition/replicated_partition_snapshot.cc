// ReplicatedPartition: snapshots. The partition's state is its Kafka log, so a snapshot stores
// only the log's end offset E once the log is flushed (docs/raft.md, "Partitions on Raft").
// Sending one to a follower streams the Kafka batches it lacks, addressed by the follower's
// cursor: cursor 0 is the header (E and the leader's log start offset), cursor c > 0 is the
// leader's batches from Kafka offset c - 1 up to E. The follower answers each chunk with its own
// log end + 1, so it gets exactly what it lacks, resumes where it stopped after a loss, and is
// complete once its log reaches E. The Kafka log holds committed batches only, identical on
// every replica, so a follower's log is always a prefix of the leader's, and the batches it
// appends are final even if the transfer is abandoned. Only a follower whose log ends below the
// leader's log start (the leader's retention deleted what it lacks) drops its log and restarts
// it empty at the leader's log start, as Kafka's followers do.

#include <algorithm>

#include "broker/partition/errc.h"
#include "broker/partition/replicated_partition.h"
#include "common/log.h"

namespace broker::partition {
namespace {

constexpr size_t kOffsetBytes = 8;

void put_offset(raft::Bytes& out, int64_t value) {
    auto v = static_cast<uint64_t>(value);
    for (int i = 0; i < 8; ++i) {
        out.push_back(static_cast<uint8_t>(v >> (56 - 8 * i)));
    }
}

int64_t get_offset(const raft::Bytes& in, size_t at) {
    uint64_t v = 0;
    for (size_t i = 0; i < kOffsetBytes; ++i) {
        v = (v << 8) | in[at + i];
    }
    return static_cast<int64_t>(v);
}

// The end offset a stored snapshot records.
common::Result<int64_t> snapshot_end(const raft::Bytes& stored) {
    if (stored.size() != kOffsetBytes) {
        return Errc::CorruptMessage;
    }
    return get_offset(stored, 0);
}

}  // namespace

common::Result<raft::Bytes> ReplicatedPartition::take_snapshot() {
    if (closed_) {
        return Errc::Shutdown;  // the log may be gone
    }
    auto flushed = log_->flush();
    if (!flushed) {
        common::log::get("partition")
            ->error("{}-{}: flush for snapshot: {}", topic_, index_, flushed.error().message());
        return Errc::StorageError;
    }
    raft::Bytes marker;
    put_offset(marker, log_->end_offset());
    return marker;
}

common::Result<void> ReplicatedPartition::restore_snapshot(const raft::SnapshotMeta& meta,
                                                           const raft::Bytes& data) {
    TRIBUTARY_TRY(end, snapshot_end(data));
    if (log_->end_offset() < end) {
        // Only when the Kafka log lost flushed data: the Raft log below the snapshot is gone.
        common::log::get("partition")
            ->error(
                "{}-{}: snapshot at Raft index {} covers offsets up to {} but the Kafka log "
                "ends at {}",
                topic_, index_, meta.index, end, log_->end_offset());
        return Errc::StorageError;
    }
    // The Raft log the snapshot covers is dropped next: what it held must be durable here.
    auto flushed = log_->flush();
    if (!flushed) {
        common::log::get("partition")
            ->error("{}-{}: flush for restore: {}", topic_, index_, flushed.error().message());
        return Errc::StorageError;
    }
    return common::ok();
}

common::Result<raft::StateMachine::SnapshotChunk> ReplicatedPartition::read_snapshot_chunk(
    const raft::SnapshotMeta& meta, const raft::Bytes& stored, uint64_t cursor, size_t max_bytes) {
    if (closed_) {
        return Errc::Shutdown;
    }
    TRIBUTARY_TRY(end, snapshot_end(stored));
    SnapshotChunk chunk;
    if (cursor == 0) {
        chunk.data = stored;
        put_offset(chunk.data, log_->start_offset());
        return chunk;
    }
    const int64_t from = static_cast<int64_t>(cursor - 1);
    if (from >= end || from < log_->start_offset()) {
        chunk.done = true;  // nothing (more) to send; the follower fails if it lacks data
        return chunk;
    }
    auto bytes = log_->read(from, std::max<size_t>(max_bytes, 1), end);
    if (!bytes) {
        common::log::get("partition")
            ->error("{}-{}: read offsets from {} for snapshot {}: {}", topic_, index_, from,
                    meta.index, bytes.error().message());
        return Errc::StorageError;
    }
    chunk.data = std::move(bytes).value();
    int64_t last = from - 1;
    for (size_t pos = 0; pos < chunk.data.size();) {
        auto h =
            common::records::parse_batch_header(std::span<const uint8_t>(chunk.data).subspan(pos));
        if (!h) {
            break;
        }
        last = h.value().last_offset();
        pos += h.value().size_bytes();
    }
    chunk.done = last + 1 >= end;
    return chunk;
}

common::Result<raft::StateMachine::ChunkReceived> ReplicatedPartition::receive_snapshot_chunk(
    const raft::SnapshotMeta& meta, uint64_t cursor, const raft::Bytes& chunk, bool last,
    raft::Bytes& stored) {
    if (closed_) {
        return Errc::Shutdown;
    }
    if (cursor == 0) {
        return receive_snapshot_header(chunk, stored);
    }
    TRIBUTARY_TRY(end, snapshot_end(stored));
    TRIBUTARY_TRY(appended, append_chunk(chunk));
    const int64_t ours = log_->end_offset();
    if (last && !appended && ours < end) {
        if (chunk.empty()) {
            // The leader's log start passed ours during the transfer (its retention ran): the
            // header, asked for again, carries the new one.
            common::log::get("partition")
                ->info("{}-{}: the leader no longer has offset {}; asking for snapshot {} again",
                       topic_, index_, ours, meta.index);
            return ChunkReceived{0, false};
        }
        common::log::get("partition")
            ->error("{}-{}: the leader has no offsets from {} for snapshot {}", topic_, index_,
                    ours, meta.index);
        return Errc::OffsetOutOfRange;
    }
    return ChunkReceived{static_cast<uint64_t>(ours) + 1, ours >= end};
}

common::Result<raft::StateMachine::ChunkReceived> ReplicatedPartition::receive_snapshot_header(
    const raft::Bytes& chunk, raft::Bytes& stored) {
    if (chunk.size() != 2 * kOffsetBytes) {
        return Errc::CorruptMessage;
    }
    stored.assign(chunk.begin(), chunk.begin() + kOffsetBytes);
    const int64_t end = get_offset(chunk, 0);
    const int64_t leader_start = get_offset(chunk, kOffsetBytes);
    if (end < 0 || leader_start < 0) {
        return Errc::CorruptMessage;
    }
    if (log_->end_offset() < end && log_->end_offset() < leader_start) {
        common::log::get("partition")
            ->info("{}-{}: log [{}, {}) is below the leader's log start {}: restarting at {}",
                   topic_, index_, log_->start_offset(), log_->end_offset(), leader_start,
                   leader_start);
        TRIBUTARY_TRY(restart_log_at(leader_start));
    }
    const int64_t ours = log_->end_offset();
    return ChunkReceived{static_cast<uint64_t>(ours) + 1, ours >= end};
}

common::Result<void> ReplicatedPartition::restart_log_at(int64_t start) {
    if (auto restarted = log_->restart_at(start); !restarted) {
        common::log::get("partition")
            ->error("{}-{}: restart the log at {}: {}", topic_, index_, start,
                    restarted.error().message());
        return Errc::StorageError;
    }
    // Producer state is rebuilt from the batches that follow, as apply records them.
    producers_.clear();
    leader_producers_.clear();
    return common::ok();
}

common::Result<bool> ReplicatedPartition::append_chunk(const raft::Bytes& chunk) {
    bool appended = false;
    std::span<const uint8_t> rest(chunk);
    while (!rest.empty()) {
        auto h = common::records::parse_batch_header(rest);
        if (!h || h.value().size_bytes() > rest.size()) {
            common::log::get("partition")
                ->error("{}-{}: malformed batch in a snapshot chunk; asking again", topic_, index_);
            break;
        }
        const auto& header = h.value();
        const int64_t end = log_->end_offset();
        if (header.base_offset >= 0 && header.base_offset < end && header.last_offset() >= end &&
            log_->start_offset() == end) {
            // Our empty log starts inside this batch (the leader's log start is not a batch
            // boundary): start it at the batch instead, so the batch fits.
            common::log::get("partition")
                ->info(
                    "{}-{}: the leader's first batch starts at {}, below our empty log's "
                    "start {}: restarting at {}",
                    topic_, index_, header.base_offset, end, header.base_offset);
            TRIBUTARY_TRY(restart_log_at(header.base_offset));
            continue;
        }
        if (header.base_offset > end) {
            break;  // does not continue our log: ask again from our end
        }
        if (header.last_offset() >= end) {
            if (header.base_offset != end) {
                break;
            }
            auto bytes = rest.first(header.size_bytes());
            TRIBUTARY_TRY(
                append_committed(std::vector<uint8_t>(bytes.begin(), bytes.end()), header));
            appended = true;
        }
        rest = rest.subspan(header.size_bytes());
    }
    return appended;
}

}  // namespace broker::partition
