// A replicated partition over the real network: three brokers in one process, each a NodeHost
// with its own TcpTransport on 127.0.0.x and its own disk (FakeFileIo), each running the
// partition's Raft group with a ReplicatedPartition (Kafka log in a FakePartitionLog) as the
// state machine. acks=all produces commit on every replica; a replica that lost power comes back
// with an empty Kafka log and re-applies everything from its Raft log and the leader. With
// snapshots on, the Raft logs shrink on disk and a follower that was down while the leader
// truncated catches up through InstallSnapshot (the Kafka batches it lacks, streamed).

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "broker/partition/partition_raft_config.h"
#include "broker/partition/replicated_partition.h"
#include "broker/raft/node_host.h"
#include "broker/storage/fake_file_io.h"
#include "common/asio.h"
#include "tests/broker/partition/fake_partition_log.h"
#include "tests/broker/partition/test_batches.h"

namespace broker::raft {
namespace {

namespace asio = common::asio;
using partition::ProduceResult;
using partition::ReplicatedPartition;
using partition::testing::FakeLogState;
using partition::testing::FakePartitionLog;
using partition::testing::make_batch;

bool run_until(asio::io_context& io, const std::function<bool()>& done) {
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!done()) {
        if (std::chrono::steady_clock::now() > give_up) return false;
        io.restart();
        io.run_for(std::chrono::milliseconds(5));
    }
    return true;
}

common::awaitable<void> produce_into(std::shared_ptr<ReplicatedPartition> p,
                                     std::vector<uint8_t> batch,
                                     std::optional<common::Result<ProduceResult>>* out) {
    *out = co_await p->produce(std::move(batch), -1, 2);
}

// One broker with one replica of partition t-0.
struct Replica {
    Replica(asio::io_context& io, int node_id, int64_t snapshot_entries, uint64_t segment_bytes)
        : id(node_id),
          address("127.0.0." + std::to_string(20 + node_id)),
          snapshot_interval(snapshot_entries) {
        options.storage.segment_bytes = segment_bytes;
        start(io);
    }
    void start(asio::io_context& io) {
        host = std::make_unique<NodeHost>(io, disk, NodeId(id), options);
        port = host->listen(address, port).value();
    }
    // `keep_log`: reopen over the Kafka log the replica had (what it flushed survived).
    common::Result<void> open(asio::io_context& io, bool keep_log = false) {
        if (!keep_log || !log) {
            log = std::make_shared<FakeLogState>();
        }
        TRIBUTARY_TRY(p,
                      ReplicatedPartition::open("t", 0, std::make_unique<FakePartitionLog>(log),
                                                io.get_executor(), partition::PartitionSettings{}));
        partition = p;
        GroupSpec spec;
        spec.config = partition::partition_raft_config(GroupId(7), NodeId(id), snapshot_interval);
        spec.dir = "/data/__raft/7";
        spec.state_machine = partition.get();
        spec.initial = Membership::of({NodeId(1), NodeId(2), NodeId(3)});
        spec.callbacks = partition->callbacks();
        TRIBUTARY_TRY(node, host->add_group(std::move(spec)));
        partition->attach(node);
        return common::ok();
    }

    // The Raft segment files of the group and their total size.
    std::pair<std::vector<std::string>, size_t> raft_segments() {
        std::vector<std::string> names;
        size_t bytes = 0;
        auto listed = disk.list_dir("/data/__raft/7");
        if (!listed) return {names, bytes};
        const std::vector<std::string> files = std::move(listed).value();
        for (const auto& name : files) {
            if (name.ends_with(".log")) {
                names.push_back(name);
                bytes += disk.contents("/data/__raft/7/" + name).size();
            }
        }
        std::sort(names.begin(), names.end());
        return {names, bytes};
    }

    int id;
    std::string address;
    int64_t snapshot_interval;
    NodeHostOptions options;
    uint16_t port = 0;
    storage::FakeFileIo disk;
    std::unique_ptr<NodeHost> host;
    std::shared_ptr<FakeLogState> log;
    std::shared_ptr<ReplicatedPartition> partition;
};

class ReplicatedPartitionTcpTest : public ::testing::Test {
  protected:
    void SetUp() override {
        for (int id = 1; id <= 3; ++id) {
            replicas_.push_back(
                std::make_unique<Replica>(io_, id, snapshot_interval_, segment_bytes_));
        }
        for (auto& r : replicas_) connect(*r);
        for (auto& r : replicas_) ASSERT_TRUE(r->open(io_));
    }
    void connect(Replica& r) {
        for (auto& other : replicas_) {
            if (other.get() == &r) continue;
            r.host->set_peer(NodeId(other->id), other->address, other->port);
            if (other->host) other->host->set_peer(NodeId(r.id), r.address, r.port);
        }
    }
    Replica* leader() {
        for (auto& r : replicas_) {
            if (r->host && r->partition && r->partition->is_leader()) {
                RaftNode* n = r->host->node(GroupId(7));
                if (n && n->leader_ready()) return r.get();
            }
        }
        return nullptr;
    }
    // Kafka's whole-partition view of every replica's log: equal batches, bytes and offsets.
    void expect_identical_logs(const Replica& l) {
        for (auto& r : replicas_) {
            EXPECT_EQ(r->log->batches, l.log->batches) << "replica " << r->id;
            EXPECT_EQ(r->log->end_offset, l.log->end_offset) << "replica " << r->id;
        }
    }
    common::Result<ProduceResult> produce(Replica& r, const std::string& value) {
        std::optional<common::Result<ProduceResult>> out;
        asio::co_spawn(io_, produce_into(r.partition, make_batch({.values = {value}}), &out),
                       asio::detached);
        EXPECT_TRUE(run_until(io_, [&] { return out.has_value(); }));
        return out ? *out : common::Result<ProduceResult>(common::Errc::IoError);
    }
    bool all_have(size_t batches) {
        for (auto& r : replicas_) {
            if (!r->log || r->log->batches.size() < batches) return false;
        }
        return true;
    }

    int64_t snapshot_interval_ = 0;
    uint64_t segment_bytes_ = DiskLogStorageOptions{}.segment_bytes;
    asio::io_context io_;
    std::vector<std::unique_ptr<Replica>> replicas_;
};

// Snapshots every 10 applied entries and 4 KiB Raft segments.
class ReplicatedPartitionSnapshotTcpTest : public ReplicatedPartitionTcpTest {
  protected:
    ReplicatedPartitionSnapshotTcpTest() {
        snapshot_interval_ = 10;
        segment_bytes_ = 4096;
    }
};

TEST_F(ReplicatedPartitionTcpTest, AcksAllProducesReachEveryReplicaAndARestartedOneReapplies) {
    ASSERT_TRUE(run_until(io_, [&] { return leader() != nullptr; }));
    Replica* l = leader();
    for (int i = 0; i < 20; ++i) {
        auto r = produce(*l, "v" + std::to_string(i));
        ASSERT_TRUE(r) << r.error().message();
        EXPECT_EQ(r.value().base_offset, i);
    }
    ASSERT_TRUE(run_until(io_, [&] { return all_have(20); }));
    for (auto& r : replicas_) EXPECT_EQ(r->log->batches, l->log->batches);

    // A follower loses power; acks=all still commits on the two left (min.insync.replicas 2).
    Replica& f = *replicas_[l->id == 3 ? 1 : 2];
    f.host.reset();
    f.partition.reset();
    f.disk.crash();
    for (int i = 20; i < 30; ++i) ASSERT_TRUE(produce(*l, "v" + std::to_string(i)));
    EXPECT_EQ(l->partition->high_watermark(), 30);

    // It comes back with an empty Kafka log: Raft re-applies every committed batch.
    f.start(io_);
    connect(f);
    ASSERT_TRUE(f.open(io_));
    ASSERT_TRUE(run_until(io_, [&] { return f.log->batches.size() == 30; }));
    EXPECT_EQ(f.log->batches, l->log->batches);
}

TEST_F(ReplicatedPartitionSnapshotTcpTest, RaftLogShrinksAndALaggingFollowerCatchesUpBySnapshot) {
    ASSERT_TRUE(run_until(io_, [&] { return leader() != nullptr; }));
    Replica* l = leader();
    const std::string value(200, 'x');
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(produce(*l, value + std::to_string(i)));
    ASSERT_TRUE(run_until(io_, [&] { return all_have(20); }));

    // A follower loses power: its Kafka log keeps what it flushed (at its last snapshot).
    Replica& f = *replicas_[l->id == 3 ? 1 : 2];
    const Index follower_last = f.host->node(GroupId(7))->last_index();
    f.host.reset();
    f.partition.reset();
    f.disk.crash();
    f.log->batches.resize(f.log->flushed_batches);
    f.log->end_offset = static_cast<int64_t>(f.log->batches.size());

    // The leader goes on producing and truncating: far more than fits in a few segments.
    for (int i = 20; i < 300; ++i) ASSERT_TRUE(produce(*l, value + std::to_string(i)));
    auto [segments, bytes] = l->raft_segments();
    ASSERT_FALSE(segments.empty());
    EXPECT_LE(segments.size(), 3u) << "Raft log not truncated";
    EXPECT_LT(bytes, size_t{3} * 4096 + 1024);
    EXPECT_NE(segments.front(), "00000000000000000001.log");
    EXPECT_GT(l->host->node(GroupId(7))->applied_index(), Index(300));
    EXPECT_TRUE(l->disk.exists("/data/__raft/7/snapshot"));
    // What the follower lacks is no longer in the leader's Raft log.
    EXPECT_GT(std::stoll(segments.front().substr(0, 20)), follower_last + 1);

    // It comes back and gets the batches it lacks inside the snapshot.
    f.start(io_);
    connect(f);
    ASSERT_TRUE(f.open(io_, /*keep_log=*/true));
    ASSERT_TRUE(run_until(io_, [&] { return all_have(300); }));
    expect_identical_logs(*l);
    EXPECT_TRUE(f.disk.exists("/data/__raft/7/snapshot"));
    // And it keeps replicating after the snapshot.
    ASSERT_TRUE(produce(*l, "after"));
    ASSERT_TRUE(run_until(io_, [&] { return all_have(301); }));
    expect_identical_logs(*l);
}

}  // namespace
}  // namespace broker::raft
