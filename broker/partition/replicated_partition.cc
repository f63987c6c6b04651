#include "broker/partition/replicated_partition.h"

#include <algorithm>

#include "broker/partition/batch_validation.h"
#include "broker/partition/errc.h"
#include "broker/storage/log.h"
#include "common/log.h"
#include "common/protocol/records/record_batch.h"

namespace broker::partition {
namespace {

constexpr int64_t kEarliest = -2;
constexpr int64_t kLatest = -1;
constexpr int64_t kMaxTimestamp = -3;

ProducerBatch producer_batch(const common::records::RecordBatchHeader& h) {
    return ProducerBatch{.producer_id = h.producer_id,
                         .producer_epoch = h.producer_epoch,
                         .base_sequence = h.base_sequence,
                         .last_offset_delta = h.last_offset_delta,
                         .max_timestamp = h.max_timestamp};
}

std::error_code storage_error(const std::error_code& ec, const std::string& what) {
    common::log::get("partition")->error("{}: {}", what, ec.message());
    return Errc::StorageError;
}

}  // namespace

raft::GroupId partition_group_id(const common::protocol::Uuid& topic_id, int32_t partition) {
    uint64_t h = 0xcbf29ce484222325ULL;
    auto mix = [&h](uint8_t b) { h = (h ^ b) * 0x100000001b3ULL; };
    for (uint8_t b : topic_id) {
        mix(b);
    }
    for (int shift = 24; shift >= 0; shift -= 8) {
        mix(static_cast<uint8_t>(static_cast<uint32_t>(partition) >> shift));
    }
    auto id = static_cast<int64_t>(h & 0x7fffffffffffffffULL);
    return raft::GroupId(id == 0 ? 1 : id);
}

ReplicatedPartition::ReplicatedPartition(std::string topic, int32_t index,
                                         std::unique_ptr<PartitionLog> log,
                                         common::asio::any_io_executor executor,
                                         PartitionSettings settings)
    : topic_(std::move(topic)),
      index_(index),
      log_(std::move(log)),
      executor_(std::move(executor)),
      settings_(settings) {}

common::Result<std::shared_ptr<ReplicatedPartition>> ReplicatedPartition::open(
    std::string topic, int32_t index, std::unique_ptr<PartitionLog> log,
    common::asio::any_io_executor executor, PartitionSettings settings) {
    auto p = std::make_shared<ReplicatedPartition>(std::move(topic), index, std::move(log),
                                                   std::move(executor), settings);
    TRIBUTARY_TRY(p->recover_producers());
    return p;
}

common::Result<void> ReplicatedPartition::recover_producers() {
    TRIBUTARY_TRY(batches, log_->batches_from(log_->start_offset()));
    for (const LogBatchInfo& b : batches) {
        if (b.producer_id >= 0) {
            producers_.record(ProducerBatch{.producer_id = b.producer_id,
                                            .producer_epoch = b.producer_epoch,
                                            .base_sequence = b.base_sequence,
                                            .last_offset_delta = b.last_offset_delta,
                                            .max_timestamp = b.max_timestamp},
                              b.base_offset);
        }
    }
    leader_producers_ = producers_;
    return common::ok();
}

raft::RaftNode::Callbacks ReplicatedPartition::callbacks() {
    raft::RaftNode::Callbacks cb;
    std::weak_ptr<ReplicatedPartition> weak = weak_from_this();
    cb.on_status_change = [weak](const raft::NodeStatus& s) {
        if (auto self = weak.lock()) {
            self->on_status(s);
        }
    };
    return cb;
}

bool ReplicatedPartition::is_leader() const {
    return node_ != nullptr && node_->is_leader();
}

bool ReplicatedPartition::leader_ready() const {
    return is_leader() && node_->leader_ready();
}

raft::NodeId ReplicatedPartition::leader() const {
    return node_ == nullptr ? raft::kNoNode : node_->leader();
}

int32_t ReplicatedPartition::leader_epoch() const {
    return node_ == nullptr ? -1 : static_cast<int32_t>(node_->term().value());
}

std::vector<raft::NodeId> ReplicatedPartition::in_sync_replicas() const {
    return node_ == nullptr ? std::vector<raft::NodeId>{} : node_->in_sync_voters();
}

common::Result<void> ReplicatedPartition::check_leader_epoch(int32_t current_leader_epoch) const {
    int32_t epoch = leader_epoch();
    if (current_leader_epoch == -1 || current_leader_epoch == epoch) {
        return common::ok();
    }
    return current_leader_epoch > epoch ? Errc::UnknownLeaderEpoch : Errc::FencedLeaderEpoch;
}

// ---- state machine ----

void ReplicatedPartition::apply(const raft::Entry& entry) {
    if (entry.type == raft::EntryType::Data && !closed_) {
        auto header = common::records::parse_batch_header(entry.payload);
        int64_t end = log_->end_offset();
        if (!header) {
            common::log::get("partition")
                ->error("{}-{}: committed entry {} is not a record batch; skipped", topic_, index_,
                        entry.index);
        } else if (header.value().last_offset() < end) {
            // Already in the Kafka log: the Raft log is being replayed after a restart.
        } else if (header.value().base_offset != end) {
            common::log::get("partition")
                ->error("{}-{}: committed batch at offset {} does not continue the log end {}",
                        topic_, index_, header.value().base_offset, end);
        } else {
            (void)append_committed(entry.payload, header.value());  // an error is logged
        }
    }
    finish_waiters(entry.index, entry.term);
    wake_fetchers();
}

common::Result<void> ReplicatedPartition::append_committed(
    std::vector<uint8_t> batch, const common::records::RecordBatchHeader& header) {
    auto appended = log_->append(batch);
    if (!appended) {
        return storage_error(appended.error(), topic_ + " append committed batch");
    }
    if (header.producer_id >= 0) {
        producers_.record(producer_batch(header), header.base_offset);
    }
    return common::ok();
}

// ---- leadership ----

void ReplicatedPartition::on_status(const raft::NodeStatus& status) {
    if (closed_) {
        return;
    }
    if (status.role == raft::Role::Leader) {
        on_leader_elected();
    } else {
        fail_waiters(Errc::NotLeaderOrFollower);
        wake_fetchers();
    }
}

void ReplicatedPartition::on_leader_elected() {
    // Offsets continue after the last batch anywhere in our log: committed batches are in the
    // Kafka log, and the uncommitted tail (from earlier leaders) commits with our first entry.
    next_offset_ = log_->end_offset();
    leader_producers_ = producers_;
    if (node_ == nullptr) {
        return;
    }
    raft::Index from = node_->applied_index() + 1;
    raft::Index last = node_->last_index();
    while (from <= last) {
        auto batch = node_->entries(from, last, size_t{1} << 20);
        if (!batch || batch.value().empty()) {
            break;
        }
        for (const raft::Entry& e : batch.value()) {
            from = e.index + 1;
            if (e.type != raft::EntryType::Data) {
                continue;
            }
            auto h = common::records::parse_batch_header(e.payload);
            if (!h || h.value().last_offset() < next_offset_) {
                continue;
            }
            next_offset_ = h.value().last_offset() + 1;
            if (h.value().producer_id >= 0) {
                leader_producers_.record(producer_batch(h.value()), h.value().base_offset);
            }
        }
    }
}

// ---- produce ----

common::Result<ProduceResult> ReplicatedPartition::propose(std::vector<uint8_t>& records,
                                                           std::shared_ptr<CommitWaiter>& waiter) {
    // Stamped here, on the leader, so every replica stores the bytes proposed below.
    TRIBUTARY_TRY(accepted, accept_produce_batch(records, settings_, storage::system_clock_ms()));
    const common::records::RecordBatchHeader& header = accepted.header;
    const ProducerBatch meta = producer_batch(header);
    const bool idempotent = header.producer_id >= 0;
    if (idempotent) {
        TRIBUTARY_TRY(verdict, leader_producers_.check(meta));
        if (verdict.duplicate) {
            return duplicate_result(*verdict.duplicate, settings_, log_->start_offset());
        }
    }
    const int64_t base = next_offset_;
    (void)common::records::set_base_offset(records, base);
    (void)common::records::set_partition_leader_epoch(records, leader_epoch());
    auto pos = node_->propose(records);
    if (!pos) {
        return Errc::NotLeaderOrFollower;
    }
    next_offset_ = base + header.last_offset_delta + 1;
    if (idempotent) {
        leader_producers_.record(meta, base);
    }
    if (waiter) {
        waiter->position = pos.value();
        commit_waiters_[pos.value().index] = waiter;
    }
    return ProduceResult{.base_offset = base,
                         .log_append_time = accepted.log_append_time,
                         .log_start_offset = log_->start_offset()};
}

common::awaitable<common::Result<ProduceResult>> ReplicatedPartition::produce(
    std::vector<uint8_t> records, int16_t acks, int32_t min_insync_replicas) {
    auto self = shared_from_this();
    if (closed_) {
        co_return Errc::Shutdown;
    }
    if (!leader_ready()) {
        co_return Errc::NotLeaderOrFollower;
    }
    if (acks == -1 &&
        static_cast<int32_t>(in_sync_replicas().size()) < std::max(min_insync_replicas, 1)) {
        co_return Errc::NotEnoughReplicas;
    }
    std::shared_ptr<CommitWaiter> waiter;
    if (acks == -1) {
        waiter = std::make_shared<CommitWaiter>(executor_);
    }
    auto result = propose(records, waiter);
    if (!result || acks != -1) {
        co_return result;
    }
    if (result.value().duplicate) {
        // A retry of a batch we already have: answer once it is committed.
        int64_t first = result.value().base_offset;
        while (high_watermark() <= first) {
            if (closed_ || !is_leader()) {
                co_return Errc::NotLeaderOrFollower;
            }
            auto alive = std::make_shared<int>(0);
            auto signal = std::make_shared<Signal>(executor_);
            add_waiter(first, FetchWaker{alive, [signal] { signal->set(); }});
            co_await signal->wait();
        }
        co_return result;
    }
    auto committed = co_await wait_committed(waiter);
    if (!committed) {
        co_return committed.error();
    }
    co_return result;
}

common::awaitable<common::Result<void>> ReplicatedPartition::wait_committed(
    std::shared_ptr<CommitWaiter> w) {
    co_await w->done.wait();
    co_return w->result;
}

void ReplicatedPartition::finish_waiters(raft::Index up_to, raft::Term term_at_index) {
    while (!commit_waiters_.empty() && commit_waiters_.begin()->first <= up_to) {
        auto w = commit_waiters_.begin()->second;
        commit_waiters_.erase(commit_waiters_.begin());
        bool ours = w->position.index == up_to && w->position.term == term_at_index;
        w->result = ours ? common::Result<void>(common::ok())
                         : common::Result<void>(Errc::NotLeaderOrFollower);
        w->done.set();
    }
}

void ReplicatedPartition::fail_waiters(std::error_code ec) {
    auto waiters = std::move(commit_waiters_);
    commit_waiters_.clear();
    for (auto& [index, w] : waiters) {
        w->result = ec;
        w->done.set();
    }
}

// ---- fetch ----

void ReplicatedPartition::wake_fetchers() {
    auto waiters = std::move(fetch_waiters_);
    fetch_waiters_.clear();
    for (auto& w : waiters) {
        if (!w.alive.expired()) {
            w.wake();
        }
    }
}

void ReplicatedPartition::add_waiter(int64_t offset, FetchWaker waker) {
    if (offset < high_watermark() || closed_ || !is_leader()) {
        waker.wake();
        return;
    }
    std::erase_if(fetch_waiters_, [](const FetchWaker& w) { return w.alive.expired(); });
    fetch_waiters_.push_back(std::move(waker));
}

common::Result<FetchData> ReplicatedPartition::read(int64_t offset, int32_t max_bytes,
                                                    bool min_one) {
    if (closed_) {
        return Errc::Shutdown;
    }
    if (!is_leader()) {
        return Errc::NotLeaderOrFollower;
    }
    const int64_t hw = high_watermark();
    FetchData data{.high_watermark = hw,
                   .last_stable_offset = hw,
                   .log_start_offset = log_->start_offset(),
                   .records = {}};
    if (offset < data.log_start_offset || offset > hw) {
        return Errc::OffsetOutOfRange;
    }
    if (offset >= hw || (max_bytes <= 0 && !min_one)) {
        return data;
    }
    const size_t limit = static_cast<size_t>(std::max(max_bytes, 0));
    auto bytes = log_->read(offset, limit, hw);
    if (!bytes) {
        return storage_error(bytes.error(), topic_ + " read");
    }
    if (bytes.value().size() > limit && !min_one) {
        return data;
    }
    data.records = std::move(bytes).value();
    return data;
}

common::Result<TimestampOffset> ReplicatedPartition::offset_for(int64_t timestamp) {
    if (closed_) {
        return Errc::Shutdown;
    }
    if (!is_leader()) {
        return Errc::NotLeaderOrFollower;
    }
    if (timestamp == kEarliest) {
        return TimestampOffset{-1, log_->start_offset()};
    }
    if (timestamp == kLatest) {
        return TimestampOffset{-1, high_watermark()};
    }
    if (timestamp < 0 && timestamp != kMaxTimestamp) {
        return TimestampOffset{};
    }
    auto found =
        timestamp == kMaxTimestamp ? log_->max_timestamp() : log_->offset_for_timestamp(timestamp);
    if (!found) {
        return storage_error(found.error(), topic_ + " offset lookup");
    }
    if (!found.value()) {
        return TimestampOffset{};
    }
    return *found.value();
}

common::Result<EpochEndOffset> ReplicatedPartition::end_offset_for_epoch(int32_t epoch) {
    if (closed_) {
        return Errc::Shutdown;
    }
    if (!is_leader()) {
        return Errc::NotLeaderOrFollower;
    }
    const int32_t current = leader_epoch();
    if (epoch < 0 || epoch > current) {
        return EpochEndOffset{};
    }
    if (epoch == current) {
        return EpochEndOffset{current, high_watermark()};
    }
    // The largest epoch <= `epoch` in the log ends where the first batch of a later one starts.
    TRIBUTARY_TRY(batches, log_->batches_from(log_->start_offset()));
    int32_t floor = -1;
    for (const LogBatchInfo& b : batches) {
        if (b.partition_leader_epoch > epoch) {
            return EpochEndOffset{floor < 0 ? epoch : floor, b.base_offset};
        }
        floor = std::max(floor, b.partition_leader_epoch);
    }
    // No later epoch wrote anything yet: the requested one (or its floor) reaches the end.
    return EpochEndOffset{floor < 0 ? epoch : floor, high_watermark()};
}

common::Result<void> ReplicatedPartition::close() {
    if (closed_) {
        return common::ok();
    }
    closed_start_ = log_->start_offset();
    closed_end_ = log_->end_offset();
    closed_ = true;
    fail_waiters(Errc::Shutdown);
    wake_fetchers();
    auto flushed = log_->flush();
    if (!flushed) {
        return storage_error(flushed.error(), topic_ + " flush at close");
    }
    return common::ok();
}

}  // namespace broker::partition
