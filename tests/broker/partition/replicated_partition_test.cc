// ReplicatedPartition: three replicas in one process. Real RaftNodes over MemLogStorage, Kafka
// logs in FakePartitionLogs, messages through a queue the test pumps millisecond by millisecond
// (flushes complete on each step); a "down" replica neither sends, receives nor ticks.

#include "broker/partition/replicated_partition.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <optional>
#include <random>
#include <set>

#include "broker/partition/errc.h"
#include "broker/raft/mem_log_storage.h"
#include "common/protocol/records/record_batch.h"
#include "tests/broker/partition/fake_partition_log.h"
#include "tests/broker/partition/test_batches.h"

namespace broker::partition {
namespace {

using raft::Membership;
using raft::Millis;
using raft::NodeId;
using testing::BatchSpec;
using testing::FakeLogState;
using testing::FakePartitionLog;
using testing::make_batch;

common::awaitable<void> produce_into(std::shared_ptr<ReplicatedPartition> p,
                                     std::vector<uint8_t> batch, int16_t acks, int32_t min_isr,
                                     common::Result<ProduceResult>* out, bool* done) {
    *out = co_await p->produce(std::move(batch), acks, min_isr);
    *done = true;
}

class QueueTransport final : public raft::Transport {
  public:
    void send(raft::Message msg) override {
        if (std::holds_alternative<raft::InstallSnapshotRequest>(msg)) {
            ++snapshot_chunks;
        }
        queue.push_back(std::move(msg));
    }
    std::deque<raft::Message> queue;
    int snapshot_chunks = 0;
};

struct Replica {
    raft::MemLogStorage storage;
    std::shared_ptr<FakeLogState> log = std::make_shared<FakeLogState>();
    std::shared_ptr<ReplicatedPartition> partition;
    std::unique_ptr<raft::RaftNode> node;
};

class ReplicatedPartitionTest : public ::testing::Test {
  protected:
    // `snapshot_interval`: the groups' RaftConfig::snapshot_interval (0: never truncate).
    explicit ReplicatedPartitionTest(raft::Index snapshot_interval = 0)
        : snapshot_interval_(snapshot_interval) {
        std::vector<NodeId> voters = {NodeId(1), NodeId(2), NodeId(3)};
        for (NodeId id : voters) {
            auto& r = replicas_[id];
            r.partition =
                ReplicatedPartition::open("t", 0, std::make_unique<FakePartitionLog>(r.log),
                                          io_.get_executor(), PartitionSettings{})
                    .value();
            raft::RaftConfig config = config_for(id, 7);
            r.node = std::make_unique<raft::RaftNode>(config, r.storage, *r.partition, transport_,
                                                      r.partition->callbacks());
            r.partition->attach(r.node.get());
            EXPECT_TRUE(r.node->start(now_, Membership::of(voters)));
        }
    }

    raft::RaftConfig config_for(NodeId id, uint64_t seed) const {
        raft::RaftConfig config;
        config.group = raft::GroupId(1);
        config.self = id;
        config.heartbeat_interval = Millis(20);
        config.election_timeout_min = Millis(100);
        config.election_timeout_max = Millis(200);
        config.replica_lag_max = Millis(300);
        config.snapshot_interval = snapshot_interval_;
        config.snapshot_chunk_bytes = snapshot_chunk_bytes_;
        config.seed = seed;
        return config;
    }

    void step() {
        for (int round = 0; round < 1000 && !transport_.queue.empty(); ++round) {
            auto batch = std::move(transport_.queue);
            transport_.queue.clear();
            for (auto& msg : batch) {
                const auto& h = raft::header_of(msg);
                if (down_.count(h.from) == 0 && down_.count(h.to) == 0) {
                    replicas_.at(h.to).node->step(msg);
                }
            }
            for (auto& [id, r] : replicas_) {
                if (down_.count(id) == 0) {
                    if (auto seq = r.storage.complete_all_flushes()) {
                        r.node->on_flushed(*seq);
                    }
                }
            }
        }
        now_ += Millis(1);
        for (auto& [id, r] : replicas_) {
            if (down_.count(id) == 0) {
                r.node->tick(now_);
            }
        }
        io_.poll();
        io_.restart();
    }

    template <class Pred>
    bool run_until(Pred pred, Millis limit = Millis(5000)) {
        Millis end = now_ + limit;
        while (!pred()) {
            if (now_ >= end) {
                return false;
            }
            step();
        }
        return true;
    }

    Replica* leader() {
        for (auto& [id, r] : replicas_) {
            if (down_.count(id) == 0 && r.node->is_leader() && r.node->leader_ready()) {
                return &r;
            }
        }
        return nullptr;
    }

    Replica* await_leader() {
        EXPECT_TRUE(run_until([&] { return leader() != nullptr; }));
        return leader();
    }

    common::Result<ProduceResult> produce(Replica& r, BatchSpec spec, int16_t acks,
                                          int32_t min_isr = 2) {
        common::Result<ProduceResult> out = Errc::Shutdown;
        bool done = false;
        common::asio::co_spawn(
            io_, produce_into(r.partition, make_batch(spec), acks, min_isr, &out, &done),
            common::asio::detached);
        EXPECT_TRUE(run_until([&] { return done; }));
        return out;
    }

    // A crash and restart: the process state is lost, the Raft log keeps what was flushed, the
    // Kafka log keeps the first `kafka_batches_kept` batches (at least those it flushed).
    void crash_and_restart(NodeId id, size_t kafka_batches_kept) {
        Replica& r = replicas_.at(id);
        r.node.reset();
        r.partition.reset();
        r.storage.crash(0);
        kafka_batches_kept = std::max(kafka_batches_kept, r.log->flushed_batches);
        auto kept = std::make_shared<FakeLogState>(*r.log);
        if (kept->batches.size() > kafka_batches_kept) {
            kept->batches.resize(kafka_batches_kept);
            kept->end_offset = kept->batches.empty()
                                   ? kept->start_offset
                                   : common::records::parse_batch_header(kept->batches.back())
                                             .value()
                                             .last_offset() +
                                         1;
        }
        r.log = kept;
        r.partition = ReplicatedPartition::open("t", 0, std::make_unique<FakePartitionLog>(r.log),
                                                io_.get_executor(), PartitionSettings{})
                          .value();
        raft::RaftConfig config = config_for(id, 7 + now_.count());
        r.node = std::make_unique<raft::RaftNode>(config, r.storage, *r.partition, transport_,
                                                  r.partition->callbacks());
        r.partition->attach(r.node.get());
        EXPECT_TRUE(r.node->start(now_, Membership::of({NodeId(1), NodeId(2), NodeId(3)})));
    }

    // The randomized crash run (defined below its helpers).
    void crash_run(uint64_t seed);

    std::vector<NodeId> followers_of(const Replica& l) {
        std::vector<NodeId> out;
        for (auto& [id, r] : replicas_) {
            if (&r != &l) {
                out.push_back(id);
            }
        }
        return out;
    }

    // Produces 3 batches of `spec` that a follower takes, stops that follower, and produces 30
    // more ("v0" .. "v29"); `spec`'s sequence advances with each batch of an idempotent producer.
    // `*follower` is the one left behind.
    void leave_a_follower_behind(Replica& l, BatchSpec& spec, NodeId* follower) {
        auto next = [&spec] {
            if (spec.producer_id >= 0) ++spec.base_sequence;
        };
        for (int i = 0; i < 3; ++i, next()) {
            ASSERT_TRUE(produce(l, spec, -1));
        }
        *follower = followers_of(l)[0];
        Replica& f = replicas_.at(*follower);
        ASSERT_TRUE(run_until([&] { return f.log->end_offset == 3; }));
        down_.insert(*follower);
        for (int i = 0; i < 30; ++i, next()) {
            spec.values = {"v" + std::to_string(i)};
            auto produced = produce(l, spec, -1);
            ASSERT_TRUE(produced) << i << ": " << produced.error().message();
        }
    }

    raft::Index snapshot_interval_;
    size_t snapshot_chunk_bytes_ = size_t{1} << 20;
    common::asio::io_context io_;
    QueueTransport transport_;
    std::map<NodeId, Replica> replicas_;
    std::set<NodeId> down_;
    Millis now_{0};
};

TEST_F(ReplicatedPartitionTest, AcksAllReturnsOnceCommittedAndEveryReplicaHoldsTheSameBatches) {
    Replica* l = await_leader();
    ASSERT_NE(l, nullptr);
    EXPECT_EQ(produce(*l, {.values = {"a", "b"}}, -1).value().base_offset, 0);
    EXPECT_EQ(produce(*l, {.values = {"c"}}, -1).value().base_offset, 2);
    EXPECT_EQ(l->partition->high_watermark(), 3);
    ASSERT_TRUE(run_until([&] {
        for (auto& [id, r] : replicas_) {
            if (r.log->end_offset != 3) {
                return false;
            }
        }
        return true;
    }));
    for (auto& [id, r] : replicas_) {
        EXPECT_EQ(r.log->batches, l->log->batches) << "replica " << id;
    }
    auto header = common::records::parse_batch_header(l->log->batches[1]).value();
    EXPECT_EQ(header.base_offset, 2);
    EXPECT_EQ(header.partition_leader_epoch, l->partition->leader_epoch());
    EXPECT_EQ(l->partition->in_sync_replicas().size(), 3u);
}

TEST_F(ReplicatedPartitionTest, LogAppendTimeIsStampedOnceByTheLeaderAndReplicasStoreIt) {
    for (auto& [id, r] : replicas_) {
        r.partition->set_settings(
            {.timestamp_type = common::records::TimestampType::LogAppendTime});
    }
    Replica* l = await_leader();
    ASSERT_NE(l, nullptr);
    auto produced = produce(*l, {.timestamp = 1000, .values = {"a", "b"}}, -1);
    ASSERT_TRUE(produced);
    const int64_t stamped = produced.value().log_append_time;
    EXPECT_GT(stamped, 1000);
    ASSERT_TRUE(run_until([&] {
        for (auto& [id, r] : replicas_) {
            if (r.log->end_offset != 2) {
                return false;
            }
        }
        return true;
    }));
    for (auto& [id, r] : replicas_) {
        EXPECT_EQ(r.log->batches, l->log->batches) << "replica " << id;
    }
    auto stored = common::records::validate_batch(l->log->batches[0]);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored.value().timestamp_type(), common::records::TimestampType::LogAppendTime);
    EXPECT_EQ(stored.value().max_timestamp, stamped);
    EXPECT_EQ(stored.value().base_timestamp, 1000);
}

TEST_F(ReplicatedPartitionTest, ProduceToAFollowerFailsWithNotLeaderOrFollower) {
    Replica* l = await_leader();
    ASSERT_NE(l, nullptr);
    Replica& f = replicas_.at(followers_of(*l)[0]);
    EXPECT_EQ(produce(f, {}, -1).error(), Errc::NotLeaderOrFollower);
    EXPECT_EQ(f.partition->read(0, 1000, true).error(), Errc::NotLeaderOrFollower);
    EXPECT_EQ(f.partition->leader(), l->node->id());
}

TEST_F(ReplicatedPartitionTest, WithoutEnoughInSyncReplicasAcksAllIsRefusedAndNothingIsVisible) {
    Replica* l = await_leader();
    ASSERT_NE(l, nullptr);
    ASSERT_TRUE(produce(*l, {}, -1));
    for (NodeId f : followers_of(*l)) {
        down_.insert(f);
    }
    // Shorter than check-quorum: the leader still leads, but its followers fall out of sync.
    ASSERT_TRUE(run_until([&] { return l->partition->in_sync_replicas().size() == 1; }));
    ASSERT_TRUE(l->node->is_leader());
    EXPECT_EQ(produce(*l, {}, -1).error(), Errc::NotEnoughReplicas);
    // acks=1 is appended by the leader alone but never committed: consumers do not see it.
    EXPECT_EQ(produce(*l, {}, 1).value().base_offset, 1);
    EXPECT_EQ(l->partition->high_watermark(), 1);
    auto data = l->partition->read(1, 1000, true);
    ASSERT_TRUE(data);
    EXPECT_TRUE(data.value().records.empty());
    EXPECT_EQ(l->log->end_offset, 1);
}

TEST_F(ReplicatedPartitionTest, IdempotentRetryIsAnsweredWithTheOriginalOffsets) {
    Replica* l = await_leader();
    ASSERT_NE(l, nullptr);
    BatchSpec spec{.producer_id = 5, .producer_epoch = 0, .base_sequence = 0, .values = {"x"}};
    EXPECT_EQ(produce(*l, spec, -1).value().base_offset, 0);
    auto retry = produce(*l, spec, -1);
    ASSERT_TRUE(retry);
    EXPECT_TRUE(retry.value().duplicate);
    EXPECT_EQ(retry.value().base_offset, 0);
    spec.base_sequence = 5;
    EXPECT_EQ(produce(*l, spec, -1).error(), Errc::OutOfOrderSequence);
    EXPECT_EQ(l->partition->high_watermark(), 1);
}

TEST_F(ReplicatedPartitionTest, NewLeaderContinuesTheOffsetsAfterTheOldOneFails) {
    Replica* l = await_leader();
    ASSERT_NE(l, nullptr);
    BatchSpec spec{.producer_id = 9, .producer_epoch = 0, .base_sequence = 0, .values = {"a"}};
    ASSERT_TRUE(produce(*l, spec, -1));
    NodeId old = l->node->id();
    int32_t old_epoch = l->partition->leader_epoch();
    down_.insert(old);
    ASSERT_TRUE(run_until([&] { return leader() != nullptr; }));
    Replica* fresh = leader();
    EXPECT_GT(fresh->partition->leader_epoch(), old_epoch);
    EXPECT_EQ(fresh->partition->check_leader_epoch(old_epoch).error(), Errc::FencedLeaderEpoch);
    // The producer's state moved with the data: its retry is a duplicate, its next batch follows.
    auto retry = produce(*fresh, spec, -1);
    ASSERT_TRUE(retry);
    EXPECT_TRUE(retry.value().duplicate);
    spec.base_sequence = 1;
    EXPECT_EQ(produce(*fresh, spec, -1).value().base_offset, 1);
    down_.erase(old);
    ASSERT_TRUE(run_until([&] { return replicas_.at(old).log->end_offset == 2; }));
    EXPECT_EQ(replicas_.at(old).log->batches, fresh->log->batches);
}

TEST(PartitionGroupIdTest, IsPositiveStableAndDistinctPerPartitionAndTopic) {
    common::protocol::Uuid a{};
    common::protocol::Uuid b{};
    b[15] = 1;
    std::set<int64_t> seen;
    for (const auto* topic : {&a, &b}) {
        for (int32_t p = 0; p < 1000; ++p) {
            raft::GroupId id = partition_group_id(*topic, p);
            EXPECT_GT(id.value(), 0);
            EXPECT_EQ(id, partition_group_id(*topic, p));
            seen.insert(id.value());
        }
    }
    EXPECT_EQ(seen.size(), 2000u);
}

TEST_F(ReplicatedPartitionTest, RestartedReplicaRefillsTheKafkaTailItLostFromTheRaftLog) {
    Replica* l = await_leader();
    ASSERT_NE(l, nullptr);
    for (int i = 0; i < 4; ++i) {
        ASSERT_TRUE(produce(*l, {.values = {"a", "b"}}, -1));
    }
    NodeId id = followers_of(*l)[0];
    Replica& f = replicas_.at(id);
    ASSERT_TRUE(run_until([&] { return f.log->end_offset == 8; }));
    // The follower's process dies; its Kafka log loses its last two (unflushed) batches, its
    // Raft log keeps everything it acknowledged.
    f.node.reset();
    f.partition.reset();
    f.storage.crash(0);
    auto lost = std::make_shared<FakeLogState>(*f.log);
    lost->batches.resize(2);
    lost->end_offset = 4;
    f.log = lost;
    f.partition = ReplicatedPartition::open("t", 0, std::make_unique<FakePartitionLog>(f.log),
                                            io_.get_executor(), PartitionSettings{})
                      .value();
    raft::RaftConfig config;
    config.group = raft::GroupId(1);
    config.self = id;
    config.heartbeat_interval = Millis(20);
    config.election_timeout_min = Millis(100);
    config.election_timeout_max = Millis(200);
    f.node = std::make_unique<raft::RaftNode>(config, f.storage, *f.partition, transport_,
                                              f.partition->callbacks());
    f.partition->attach(f.node.get());
    ASSERT_TRUE(f.node->start(now_, Membership::of({NodeId(1), NodeId(2), NodeId(3)})));
    ASSERT_TRUE(run_until([&] { return f.log->end_offset == 8; }));
    EXPECT_EQ(f.log->batches, l->log->batches);
    EXPECT_EQ(l->partition->high_watermark(), 8);
}

struct PendingProduce {
    common::Result<ProduceResult> result = Errc::Shutdown;
    bool done = false;
};

common::awaitable<void> produce_shared(std::shared_ptr<ReplicatedPartition> p,
                                       std::vector<uint8_t> batch,
                                       std::shared_ptr<PendingProduce> out) {
    out->result = co_await p->produce(std::move(batch), -1, 2);
    out->done = true;
}

// An idempotent acks=all producer against replicas that crash (losing unflushed Raft entries
// and part of their Kafka log) and restart, leader included: afterwards every acknowledged
// batch is in the log exactly once and in order, and every replica holds the same log.
void ReplicatedPartitionTest::crash_run(uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::set<int32_t> acked;
    int32_t seq = 0;
    std::optional<NodeId> crashed;
    Millis next_fault = now_ + Millis(150);
    Millis end = now_ + Millis(4000);
    std::shared_ptr<PendingProduce> inflight;
    while (now_ < end) {
        if (now_ >= next_fault) {
            next_fault = now_ + Millis(std::uniform_int_distribution<int>(50, 400)(rng));
            if (crashed) {
                crash_and_restart(*crashed, std::uniform_int_distribution<size_t>(0, 20)(rng));
                down_.erase(*crashed);
                crashed.reset();
            } else {
                Replica* l = leader();
                NodeId victim = l != nullptr && std::uniform_int_distribution<int>(0, 1)(rng) == 0
                                    ? l->node->id()
                                    : NodeId(std::uniform_int_distribution<int>(1, 3)(rng));
                down_.insert(victim);
                crashed = victim;
            }
        }
        if (inflight && inflight->done) {
            if (inflight->result) {
                acked.insert(seq);
                ++seq;
            } else {
                auto e = inflight->result.error();
                ASSERT_TRUE(e == Errc::NotLeaderOrFollower || e == Errc::NotEnoughReplicas)
                    << e.message();
            }
            inflight.reset();
        }
        // A request whose leader crashed may never be answered: now and then the producer
        // gives up on it and retries the same sequence on the current leader.
        if (!inflight || (crashed && down_.count(*crashed) && inflight && !inflight->done &&
                          std::uniform_int_distribution<int>(0, 50)(rng) == 0)) {
            if (Replica* l = leader()) {
                inflight = std::make_shared<PendingProduce>();
                BatchSpec spec{.producer_id = 77,
                               .producer_epoch = 0,
                               .base_sequence = seq,
                               .values = {"r" + std::to_string(seq)}};
                common::asio::co_spawn(io_,
                                       produce_shared(l->partition, make_batch(spec), inflight),
                                       common::asio::detached);
            }
        }
        step();
    }
    if (crashed) {
        crash_and_restart(*crashed, 0);
        down_.clear();
    }
    ASSERT_TRUE(run_until([&] {
        Replica* l = leader();
        if (l == nullptr) {
            return false;
        }
        for (auto& [id, r] : replicas_) {
            if (r.log->end_offset != l->log->end_offset ||
                r.node->commit_index() < l->node->last_index()) {
                return false;
            }
        }
        return true;
    }));
    Replica* l = leader();
    std::vector<int32_t> sequences;
    for (const auto& b : l->log->batches) {
        sequences.push_back(common::records::parse_batch_header(b).value().base_sequence);
    }
    for (size_t i = 1; i < sequences.size(); ++i) {
        ASSERT_EQ(sequences[i], sequences[i - 1] + 1) << "duplicate or gap at batch " << i;
    }
    for (int32_t s : acked) {
        EXPECT_TRUE(std::find(sequences.begin(), sequences.end(), s) != sequences.end())
            << "acknowledged batch " << s << " lost";
    }
    for (auto& [id, r] : replicas_) {
        EXPECT_EQ(r.log->batches, l->log->batches) << "replica " << id;
    }
    EXPECT_GT(acked.size(), 20u);
}

TEST_F(ReplicatedPartitionTest, AcknowledgedBatchesSurviveCrashesExactlyOnceAndInOrder) {
    crash_run(20261122);
}

// Partition groups that truncate their Raft log every 5 applied entries.
class ReplicatedPartitionSnapshotTest : public ReplicatedPartitionTest {
  protected:
    ReplicatedPartitionSnapshotTest() : ReplicatedPartitionTest(5) {}
};

// A follower that was down while the leader produced and truncated its Raft log comes back,
// gets the Kafka batches it lacks through InstallSnapshot, and then holds the leader's log byte
// for byte, with the producer state that detects an idempotent retry as a duplicate.
TEST_F(ReplicatedPartitionSnapshotTest, LaggingFollowerCatchesUpThroughInstallSnapshot) {
    Replica* l = await_leader();
    ASSERT_NE(l, nullptr);
    BatchSpec spec{.producer_id = 42, .producer_epoch = 0, .base_sequence = 0, .values = {"a"}};
    NodeId id = raft::kNoNode;
    ASSERT_NO_FATAL_FAILURE(leave_a_follower_behind(*l, spec, &id));
    Replica& f = replicas_.at(id);
    // The leader's Raft log no longer holds what the follower lacks.
    EXPECT_GT(l->storage.snapshot_meta().index, f.node->last_index() + 1);
    EXPECT_GT(l->storage.first_index(), raft::Index(30));
    // The follower restarts, losing the unflushed tail of its Kafka log.
    crash_and_restart(id, 1);
    down_.erase(id);
    const int chunks_before = transport_.snapshot_chunks;
    const int64_t end = l->log->end_offset;
    ASSERT_TRUE(run_until([&] { return f.log->end_offset == end; }));
    EXPECT_GT(transport_.snapshot_chunks, chunks_before);
    EXPECT_EQ(f.log->batches, l->log->batches);
    EXPECT_GE(f.storage.snapshot_meta().index, l->storage.snapshot_meta().index);
    // The follower takes over; the producer's retry of its last batch is a duplicate.
    ASSERT_TRUE(l->node->transfer_leadership(id));
    ASSERT_TRUE(run_until([&] { return f.node->is_leader() && f.node->leader_ready(); }));
    --spec.base_sequence;
    auto retry = produce(f, spec, -1);
    ASSERT_TRUE(retry) << retry.error().message();
    EXPECT_TRUE(retry.value().duplicate);
    EXPECT_EQ(retry.value().base_offset, end - 1);
    ++spec.base_sequence;
    EXPECT_EQ(produce(f, spec, -1).value().base_offset, end);
}

// The leader's retention deletes every offset below `start`: its log keeps the batches from there.
void drop_below(FakeLogState& log, int64_t start) {
    std::erase_if(log.batches, [start](const std::vector<uint8_t>& b) {
        return common::records::parse_batch_header(b).value().last_offset() < start;
    });
    log.start_offset = start;
}

// A follower down while the leader produced, truncated its Raft log and then deleted (by
// retention) offsets the follower lacks: it restarts its log at the leader's log start, catches
// up from there byte for byte, and takes over with the producer state those batches carry.
TEST_F(ReplicatedPartitionSnapshotTest, FollowerBehindTheLeadersLogStartRestartsThere) {
    Replica* l = await_leader();
    ASSERT_NE(l, nullptr);
    BatchSpec spec{.producer_id = 42, .producer_epoch = 0, .base_sequence = 0, .values = {"a"}};
    NodeId id = raft::kNoNode;
    ASSERT_NO_FATAL_FAILURE(leave_a_follower_behind(*l, spec, &id));
    Replica& f = replicas_.at(id);
    ASSERT_GT(l->storage.snapshot_meta().index, f.node->last_index() + 1);
    drop_below(*l->log, 20);
    crash_and_restart(id, 3);
    down_.erase(id);
    const int64_t end = l->log->end_offset;
    ASSERT_TRUE(run_until([&] { return f.log->end_offset == end; }));
    EXPECT_EQ(f.log->restarts, 1);
    EXPECT_EQ(f.log->start_offset, 20);
    EXPECT_EQ(f.partition->log_start_offset(), 20);
    EXPECT_EQ(f.log->batches, l->log->batches);
    EXPECT_FALSE(f.node->stopped());
    // The follower takes over: consumers see its log start 20 and the same high watermark, and
    // the producer's retry of its last batch is a duplicate.
    ASSERT_TRUE(l->node->transfer_leadership(id));
    ASSERT_TRUE(run_until([&] { return f.node->is_leader() && f.node->leader_ready(); }));
    auto earliest = f.partition->offset_for(-2);
    ASSERT_TRUE(earliest);
    EXPECT_EQ(earliest.value().offset, 20);
    EXPECT_EQ(f.partition->read(19, 1 << 20, true).error(), Errc::OffsetOutOfRange);
    auto read = f.partition->read(20, 1 << 20, true);
    ASSERT_TRUE(read);
    EXPECT_EQ(read.value().high_watermark, end);
    EXPECT_EQ(read.value().log_start_offset, 20);
    --spec.base_sequence;
    auto retry = produce(f, spec, -1);
    ASSERT_TRUE(retry) << retry.error().message();
    EXPECT_TRUE(retry.value().duplicate);
    EXPECT_EQ(retry.value().base_offset, end - 1);
}

// The same follower crashes after restarting its log and taking a few batches, before the
// snapshot completed: it comes back with its restarted log and finishes the catch-up.
TEST_F(ReplicatedPartitionSnapshotTest, FollowerCrashingWhileItRestartsItsLogCatchesUpAfterwards) {
    snapshot_chunk_bytes_ = 1;  // one batch per chunk
    Replica* l = await_leader();
    ASSERT_NE(l, nullptr);
    BatchSpec spec{.values = {"a"}};
    NodeId id = raft::kNoNode;
    ASSERT_NO_FATAL_FAILURE(leave_a_follower_behind(*l, spec, &id));
    Replica& f = replicas_.at(id);
    drop_below(*l->log, 20);
    crash_and_restart(id, 3);
    down_.erase(id);
    // Down (then crashed) once its restarted log holds two batches.
    f.log->on_append = [this, id, log = f.log.get()] {
        if (log->end_offset == 22) {
            down_.insert(id);
        }
    };
    ASSERT_TRUE(run_until([&] { return down_.count(id) > 0; }));
    EXPECT_EQ(f.log->restarts, 1);
    f.log->on_append = nullptr;
    f.log->flushed_batches = 1;  // the crash keeps one of the two batches
    crash_and_restart(id, 1);
    EXPECT_EQ(f.log->start_offset, 20);
    EXPECT_EQ(f.log->end_offset, 21);
    down_.erase(id);
    const int64_t end = l->log->end_offset;
    ASSERT_TRUE(run_until([&] { return f.log->end_offset == end; }));
    EXPECT_EQ(f.log->restarts, 1);  // its log no longer ends below the leader's start
    EXPECT_EQ(f.log->start_offset, 20);
    EXPECT_EQ(f.log->batches, l->log->batches);
    EXPECT_FALSE(f.node->stopped());
}

// The snapshot's chunks, straight from one partition to another (no Raft): the header, then
// the batches the receiver lacks from its own log end; producer state follows the batches.
struct SnapshotStream {
    SnapshotStream() {
        for (auto* side : {&leader, &follower}) {
            side->log = std::make_shared<FakeLogState>();
            side->partition =
                ReplicatedPartition::open("t", 0, std::make_unique<FakePartitionLog>(side->log),
                                          io.get_executor(), PartitionSettings{})
                    .value();
        }
    }
    struct Side {
        std::shared_ptr<FakeLogState> log;
        std::shared_ptr<ReplicatedPartition> partition;
    };
    static void apply(Side& side, int32_t seq) {
        auto batch = make_batch(
            {.producer_id = 9, .producer_epoch = 0, .base_sequence = seq, .values = {"b"}});
        (void)common::records::set_base_offset(batch, seq);
        side.partition->apply(raft::Entry{raft::Term(1), seq + 1, raft::EntryType::Data, batch});
    }
    // Runs the transfer; the number of chunks, or the receiver's error.
    common::Result<int> transfer(const raft::Bytes& stored) {
        raft::Bytes assembled;
        uint64_t cursor = 0;
        for (int chunks = 1; chunks < 100; ++chunks) {
            TRIBUTARY_TRY(chunk, leader.partition->read_snapshot_chunk(meta, stored, cursor, 1));
            TRIBUTARY_TRY(got, follower.partition->receive_snapshot_chunk(meta, cursor, chunk.data,
                                                                          chunk.done, assembled));
            if (got.complete) {
                TRIBUTARY_TRY(follower.partition->restore_snapshot(meta, assembled));
                return chunks;
            }
            cursor = got.next_cursor;
        }
        return Errc::StorageError;
    }
    common::asio::io_context io;
    raft::SnapshotMeta meta{6, raft::Term(1), Membership::of({NodeId(1)})};
    Side leader;
    Side follower;
};

TEST(ReplicatedPartitionSnapshotStream, FollowerGetsExactlyTheBatchesItLacks) {
    SnapshotStream s;
    for (int32_t seq = 0; seq < 5; ++seq) {
        SnapshotStream::apply(s.leader, seq);
    }
    SnapshotStream::apply(s.follower, 0);
    SnapshotStream::apply(s.follower, 1);
    auto stored = s.leader.partition->take_snapshot();
    ASSERT_TRUE(stored);
    EXPECT_EQ(s.leader.log->flushed_batches, 5u);
    // Header, then one batch per chunk (1-byte chunks): offsets 2, 3 and 4.
    EXPECT_EQ(s.transfer(stored.value()).value(), 4);
    EXPECT_EQ(s.follower.log->batches, s.leader.log->batches);
    EXPECT_EQ(s.follower.log->flushed_batches, 5u);
    auto retry = s.follower.partition->producers().check(
        ProducerBatch{.producer_id = 9, .producer_epoch = 0, .base_sequence = 4});
    ASSERT_TRUE(retry);
    ASSERT_TRUE(retry.value().duplicate);
    EXPECT_EQ(retry.value().duplicate->first_offset, 4);
    // A follower that holds everything completes on the header alone.
    EXPECT_EQ(s.transfer(stored.value()).value(), 1);
}

TEST(ReplicatedPartitionSnapshotStream, FollowerBehindTheLeadersLogStartRestartsThere) {
    SnapshotStream s;
    for (int32_t seq = 0; seq < 5; ++seq) {
        SnapshotStream::apply(s.leader, seq);
    }
    SnapshotStream::apply(s.follower, 0);
    drop_below(*s.leader.log, 3);  // retention deleted offsets 0-2 on the leader
    auto stored = s.leader.partition->take_snapshot();
    ASSERT_TRUE(stored);
    // Header, then offsets 3 and 4.
    EXPECT_EQ(s.transfer(stored.value()).value(), 3);
    EXPECT_EQ(s.follower.log->restarts, 1);
    EXPECT_EQ(s.follower.log->start_offset, 3);
    EXPECT_EQ(s.follower.log->batches, s.leader.log->batches);
    EXPECT_EQ(s.follower.partition->log_start_offset(), 3);
    // Producer state comes from the batches from 3 on: a retry of 4 is a duplicate, and the
    // batch at offset 0 it held before is forgotten.
    auto retry = s.follower.partition->producers().check(
        ProducerBatch{.producer_id = 9, .producer_epoch = 0, .base_sequence = 4});
    ASSERT_TRUE(retry);
    ASSERT_TRUE(retry.value().duplicate);
    EXPECT_EQ(retry.value().duplicate->first_offset, 4);
    EXPECT_EQ(s.follower.partition->producers().producers().at(9).batches.size(), 2u);
}

// A leader log start inside a batch (offsets 2-3, log start 3): the follower's log starts at
// that batch instead, so it fits.
TEST(ReplicatedPartitionSnapshotStream, LeaderLogStartInsideABatchRestartsAtThatBatch) {
    SnapshotStream s;
    for (int64_t base = 0; base < 6; base += 2) {
        auto batch = make_batch({.values = {"x", "y"}});
        (void)common::records::set_base_offset(batch, base);
        s.leader.partition->apply(
            raft::Entry{raft::Term(1), base + 1, raft::EntryType::Data, batch});
    }
    ASSERT_EQ(s.leader.log->end_offset, 6);
    drop_below(*s.leader.log, 3);
    auto stored = s.leader.partition->take_snapshot();
    ASSERT_TRUE(stored);
    ASSERT_TRUE(s.transfer(stored.value()));
    EXPECT_EQ(s.follower.log->start_offset, 2);
    EXPECT_EQ(s.follower.log->end_offset, 6);
    EXPECT_EQ(s.follower.log->batches, s.leader.log->batches);
}

// The leader's retention passes the follower's end during the transfer: the follower asks for
// the header again and restarts at the new log start.
TEST(ReplicatedPartitionSnapshotStream, LeaderRetentionDuringTheTransferRestartsTheFollower) {
    SnapshotStream s;
    for (int32_t seq = 0; seq < 6; ++seq) {
        SnapshotStream::apply(s.leader, seq);
    }
    SnapshotStream::apply(s.follower, 0);
    auto stored = s.leader.partition->take_snapshot();
    ASSERT_TRUE(stored);
    s.follower.log->on_append = [&s] {
        if (s.follower.log->end_offset == 2) {
            drop_below(*s.leader.log, 4);
        }
    };
    ASSERT_TRUE(s.transfer(stored.value()));
    EXPECT_EQ(s.follower.log->restarts, 1);
    EXPECT_EQ(s.follower.log->start_offset, 4);
    EXPECT_EQ(s.follower.log->batches, s.leader.log->batches);
}

class SnapshotCrashTest : public ReplicatedPartitionSnapshotTest,
                          public ::testing::WithParamInterface<uint64_t> {};

TEST_P(SnapshotCrashTest, AcknowledgedBatchesSurviveCrashesWithTheRaftLogTruncated) {
    crash_run(GetParam());
    raft::Index truncated = 0;
    for (auto& [id, r] : replicas_) {
        truncated = std::max(truncated, r.storage.snapshot_meta().index);
        EXPECT_FALSE(r.node->stopped()) << "replica " << id;
    }
    EXPECT_GT(truncated, raft::Index(20));
    EXPECT_GT(transport_.snapshot_chunks, 0);  // lagging replicas caught up by snapshot
}

INSTANTIATE_TEST_SUITE_P(Seeds, SnapshotCrashTest,
                         ::testing::Values(20261122, 1, 2, 3, 4, 5, 6, 7));

}  // namespace
}  // namespace broker::partition
