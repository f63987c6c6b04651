#pragma once
// ReplicatedPartition: one topic-partition replicated by its own Raft group (docs/raft.md,
// "Partitions on Raft"). Raft entries carry whole Kafka record batches whose offsets and leader
// epoch (the Raft term) the leader wrote before proposing; the partition's Kafka log
// (PartitionLog) is the group's state machine: every replica appends each committed batch
// unchanged. So the Kafka log holds committed data only, its end offset is the high watermark,
// and Raft's own entries (noop, configuration) never become Kafka offsets.
// Owned (shared_ptr) by the host of the group; lives on, and is touched only by, the shard that
// runs its RaftNode. The RaftNode is created by the host with this object as its StateMachine
// and callbacks() as its callbacks, then attach()ed; it must outlive this object's use of it.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "broker/partition/partition.h"
#include "broker/partition/partition_log.h"
#include "broker/partition/producer_state.h"
#include "broker/raft/raft_node.h"
#include "broker/raft/state_machine.h"
#include "common/asio.h"
#include "common/protocol/records/record_batch.h"
#include "common/protocol/types.h"
#include "common/result.h"

namespace broker::partition {

// The Raft group id of a partition, derived from its topic id and index (FNV-1a 64, top bit
// cleared): positive, never the controller's group 0, the same on every broker.
raft::GroupId partition_group_id(const common::protocol::Uuid& topic_id, int32_t partition);

class ReplicatedPartition final : public raft::StateMachine,
                                  public DataPath,
                                  public std::enable_shared_from_this<ReplicatedPartition> {
  public:
    // Opens over `log` (rebuilding producer state from its batches). Errors: the log's.
    [[nodiscard]] static common::Result<std::shared_ptr<ReplicatedPartition>> open(
        std::string topic, int32_t index, std::unique_ptr<PartitionLog> log,
        common::asio::any_io_executor executor, PartitionSettings settings);

    ReplicatedPartition(std::string topic, int32_t index, std::unique_ptr<PartitionLog> log,
                        common::asio::any_io_executor executor, PartitionSettings settings);

    // The callbacks the group's RaftNode must be created with (they hold a weak reference).
    raft::RaftNode::Callbacks callbacks();
    void attach(raft::RaftNode* node) { node_ = node; }

    // ---- raft::StateMachine ----
    void apply(const raft::Entry& entry) override;
    // The partition's snapshot is its Kafka log (replicated_partition_snapshot.cc): taking one
    // flushes the log and stores only its end offset, so the Raft log below the applied index
    // may go. A follower lacking batches below that offset gets them streamed from the leader's
    // Kafka log in the snapshot's chunks and appends them; restoring checks and flushes.
    common::Result<raft::Bytes> take_snapshot() override;
    common::Result<void> restore_snapshot(const raft::SnapshotMeta& meta,
                                          const raft::Bytes& data) override;
    common::Result<SnapshotChunk> read_snapshot_chunk(const raft::SnapshotMeta& meta,
                                                      const raft::Bytes& stored, uint64_t cursor,
                                                      size_t max_bytes) override;
    common::Result<ChunkReceived> receive_snapshot_chunk(const raft::SnapshotMeta& meta,
                                                         uint64_t cursor, const raft::Bytes& chunk,
                                                         bool last, raft::Bytes& stored) override;

    // ---- the Kafka data path ----
    // Leader only (NotLeaderOrFollower otherwise). acks=0/1 answer once the batch is in the
    // leader's Raft log, acks=-1 once it is committed; acks=-1 with fewer in-sync replicas than
    // `min_insync_replicas` fails with NotEnoughReplicas before anything is appended.
    common::awaitable<common::Result<ProduceResult>> produce(std::vector<uint8_t> records,
                                                             int16_t acks,
                                                             int32_t min_insync_replicas) override;
    // Reads committed batches (leader only). Errors: NotLeaderOrFollower, OffsetOutOfRange.
    [[nodiscard]] common::Result<FetchData> read(int64_t offset, int32_t max_bytes,
                                                 bool min_one) override;
    void add_waiter(int64_t offset, FetchWaker waker) override;
    [[nodiscard]] common::Result<TimestampOffset> offset_for(int64_t timestamp) override;
    // Leader only. The current term ends at the high watermark; an older epoch ends where the
    // first batch of a later epoch starts (batches carry the term they were proposed in).
    [[nodiscard]] common::Result<EpochEndOffset> end_offset_for_epoch(int32_t epoch) override;
    // The client's current_leader_epoch against ours (-1: not given).
    [[nodiscard]] common::Result<void> check_leader_epoch(
        int32_t current_leader_epoch) const override;
    void set_settings(PartitionSettings settings) override { settings_ = settings; }

    const std::string& topic() const { return topic_; }
    int32_t index() const { return index_; }
    bool is_leader() const;
    // The leader may serve: its term's first entry is committed, so everything committed before
    // is in the Kafka log.
    bool leader_ready() const;
    raft::NodeId leader() const;
    int32_t leader_epoch() const override;  // the Raft term
    // After close() these keep their last values (the log may be gone).
    int64_t high_watermark() const { return closed_ ? closed_end_ : log_->end_offset(); }
    int64_t log_start_offset() const { return closed_ ? closed_start_ : log_->start_offset(); }
    // Caught-up voters (the leader included): Kafka's ISR. Empty on a non-leader.
    std::vector<raft::NodeId> in_sync_replicas() const;
    const ProducerStateTable& producers() const { return producers_; }

    // Fails waiting produce calls, flushes the Kafka log. Later calls fail with Shutdown (or
    // NotLeaderOrFollower once detached from its node) and never touch the log again, so the
    // log may be deleted afterwards.
    [[nodiscard]] common::Result<void> close();

  private:
    struct CommitWaiter {
        explicit CommitWaiter(const common::asio::any_io_executor& ex) : done(ex) {}
        raft::LogPosition position;
        Signal done;
        common::Result<void> result = common::ok();
    };

    [[nodiscard]] common::Result<void> recover_producers();
    // Appends a committed batch that continues the Kafka log and records its producer.
    [[nodiscard]] common::Result<void> append_committed(
        std::vector<uint8_t> batch, const common::records::RecordBatchHeader& header);
    // A snapshot's header chunk (E and the leader's log start): restarts our log at the
    // leader's log start when it ends below it.
    [[nodiscard]] common::Result<ChunkReceived> receive_snapshot_header(const raft::Bytes& chunk,
                                                                        raft::Bytes& stored);
    // Empties the Kafka log and restarts it at `start`; forgets the producer state.
    [[nodiscard]] common::Result<void> restart_log_at(int64_t start);
    // The batches of a snapshot chunk that continue the log; true when any was appended.
    [[nodiscard]] common::Result<bool> append_chunk(const raft::Bytes& chunk);
    [[nodiscard]] common::Result<ProduceResult> propose(std::vector<uint8_t>& records,
                                                        std::shared_ptr<CommitWaiter>& waiter);
    common::awaitable<common::Result<void>> wait_committed(std::shared_ptr<CommitWaiter> w);
    void on_status(const raft::NodeStatus& status);
    void on_leader_elected();
    void finish_waiters(raft::Index up_to, raft::Term term_at_index);
    void fail_waiters(std::error_code ec);
    void wake_fetchers();

    std::string topic_;
    int32_t index_;
    std::unique_ptr<PartitionLog> log_;
    common::asio::any_io_executor executor_;
    PartitionSettings settings_;
    raft::RaftNode* node_ = nullptr;
    bool closed_ = false;
    int64_t closed_start_ = 0;  // the log's offsets when it was closed
    int64_t closed_end_ = 0;
    // Applied (committed) producer state, and the leader's view including its proposals.
    ProducerStateTable producers_;
    ProducerStateTable leader_producers_;
    int64_t next_offset_ = 0;  // leader: the offset its next proposal gets
    std::map<raft::Index, std::shared_ptr<CommitWaiter>> commit_waiters_;
    std::vector<FetchWaker> fetch_waiters_;
};

}  // namespace broker::partition
