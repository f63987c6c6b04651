// A replicated partition over the real network: three brokers in one process, each a NodeHost
// with its own TcpTransport on 127.0.0.x and its own disk (FakeFileIo), each running the
// partition's Raft group with a ReplicatedPartition (Kafka log in a FakePartitionLog) as the
// state machine. acks=all produces commit on every replica; a replica that lost power comes back
// with an empty Kafka log and re-applies everything from its Raft log and the leader.

#include <chrono>
#include <functional>

#include <gtest/gtest.h>

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
    Replica(asio::io_context& io, int node_id)
        : id(node_id), address("127.0.0." + std::to_string(20 + node_id)) {
        start(io);
    }
    void start(asio::io_context& io) {
        host = std::make_unique<NodeHost>(io, disk, NodeId(id));
        port = host->listen(address, port).value();
    }
    common::Result<void> open(asio::io_context& io) {
        log = std::make_shared<FakeLogState>();
        TRIBUTARY_TRY(p,
                      ReplicatedPartition::open("t", 0, std::make_unique<FakePartitionLog>(log),
                                                io.get_executor(), partition::PartitionSettings{}));
        partition = p;
        GroupSpec spec;
        spec.config.group = GroupId(7);
        spec.config.self = NodeId(id);
        spec.config.seed = static_cast<uint64_t>(id);
        spec.dir = "/data/__raft/7";
        spec.state_machine = partition.get();
        spec.initial = Membership::of({NodeId(1), NodeId(2), NodeId(3)});
        spec.callbacks = partition->callbacks();
        TRIBUTARY_TRY(node, host->add_group(std::move(spec)));
        partition->attach(node);
        return common::ok();
    }

    int id;
    std::string address;
    uint16_t port = 0;
    storage::FakeFileIo disk;
    std::unique_ptr<NodeHost> host;
    std::shared_ptr<FakeLogState> log;
    std::shared_ptr<ReplicatedPartition> partition;
};

class ReplicatedPartitionTcpTest : public ::testing::Test {
  protected:
    void SetUp() override {
        for (int id = 1; id <= 3; ++id) replicas_.push_back(std::make_unique<Replica>(io_, id));
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

    asio::io_context io_;
    std::vector<std::unique_ptr<Replica>> replicas_;
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

}  // namespace
}  // namespace broker::raft
