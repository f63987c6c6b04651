// Three brokers in one process, each a NodeHost with its own TcpTransport on 127.0.0.x and its own
// disk (FakeFileIo), running real RaftNodes: election, replication, crash and catch-up, and
// heartbeats coalesced per broker pair across many groups.

#include "broker/raft/node_host.h"

#include <chrono>
#include <functional>
#include <map>
#include <optional>

#include <gtest/gtest.h>

#include "broker/storage/fake_file_io.h"
#include "common/asio.h"

namespace broker::raft {
namespace {

namespace asio = common::asio;

bool run_until(asio::io_context& io, const std::function<bool()>& done) {
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!done()) {
        if (std::chrono::steady_clock::now() > give_up) return false;
        io.restart();
        io.run_for(std::chrono::milliseconds(5));
    }
    return true;
}

// Records the data entries it applies.
class RecordingMachine final : public StateMachine {
  public:
    void apply(const Entry& entry) override {
        if (entry.type == EntryType::Data) applied.push_back(entry.payload);
    }
    common::Result<Bytes> take_snapshot() override {
        Bytes out;
        for (const auto& p : applied) {
            out.push_back(static_cast<uint8_t>(p.size()));
            out.insert(out.end(), p.begin(), p.end());
        }
        return out;
    }
    common::Result<void> restore_snapshot(const SnapshotMeta&, const Bytes& data) override {
        applied.clear();
        for (size_t i = 0; i < data.size();) {
            size_t n = data[i++];
            applied.emplace_back(data.begin() + static_cast<std::ptrdiff_t>(i),
                                 data.begin() + static_cast<std::ptrdiff_t>(i + n));
            i += n;
        }
        return common::ok();
    }
    std::vector<Bytes> applied;
};

Bytes payload(int i) {
    return Bytes{static_cast<uint8_t>(i), static_cast<uint8_t>(i >> 8), 0x5a};
}

// One broker: its disk, its host and one state machine per group.
struct Broker {
    Broker(asio::io_context& io, int node_id)
        : id(node_id), address("127.0.0." + std::to_string(node_id)) {
        start(io);
    }
    void start(asio::io_context& io) {
        host = std::make_unique<NodeHost>(io, disk, NodeId(id));
        port = host->listen(address, port).value();
    }
    common::Result<RaftNode*> add_group(int64_t group, std::vector<NodeId> voters) {
        RaftConfig config;
        config.group = GroupId(group);
        config.self = NodeId(id);
        config.seed = static_cast<uint64_t>(group * 100 + id);
        machines[group] = std::make_unique<RecordingMachine>();
        GroupSpec spec;
        spec.config = config;
        spec.dir = "/data/raft/" + std::to_string(group);
        spec.state_machine = machines[group].get();
        spec.initial = Membership::of(std::move(voters));
        return host->add_group(std::move(spec));
    }
    RaftNode* node(int64_t group) const { return host ? host->node(GroupId(group)) : nullptr; }

    int id;
    std::string address;
    uint16_t port = 0;
    storage::FakeFileIo disk;
    std::map<int64_t, std::unique_ptr<RecordingMachine>> machines;
    std::unique_ptr<NodeHost> host;
};

class NodeHostTest : public ::testing::Test {
  protected:
    void SetUp() override {
        for (int id = 1; id <= 3; ++id) brokers_.push_back(std::make_unique<Broker>(io_, id));
        for (auto& b : brokers_) connect(*b);
    }
    void connect(Broker& b) {
        for (auto& other : brokers_) {
            if (other.get() != &b) {
                b.host->set_peer(NodeId(other->id), other->address, other->port);
                if (other->host) other->host->set_peer(NodeId(b.id), b.address, b.port);
            }
        }
    }
    std::vector<NodeId> all_ids() const { return {NodeId(1), NodeId(2), NodeId(3)}; }
    RaftNode* ready_leader(int64_t group) const {
        for (auto& b : brokers_) {
            RaftNode* n = b->node(group);
            if (n && n->is_leader() && n->leader_ready()) return n;
        }
        return nullptr;
    }
    Broker& broker_of(const RaftNode* node) {
        return *brokers_[static_cast<size_t>(node->id().value() - 1)];
    }

    asio::io_context io_;
    std::vector<std::unique_ptr<Broker>> brokers_;
};

TEST_F(NodeHostTest, ThreeBrokersElectCommitAndARestartedFollowerCatchesUpFromItsDisk) {
    for (auto& b : brokers_) ASSERT_TRUE(b->add_group(1, all_ids()));
    ASSERT_TRUE(run_until(io_, [&] { return ready_leader(1) != nullptr; }));
    RaftNode* leader = ready_leader(1);

    for (int i = 0; i < 100; ++i) ASSERT_TRUE(leader->propose(payload(i)));
    ASSERT_TRUE(run_until(io_, [&] {
        for (auto& b : brokers_) {
            if (b->machines[1]->applied.size() < 100) return false;
        }
        return true;
    }));
    for (auto& b : brokers_) EXPECT_EQ(b->machines[1]->applied, brokers_[0]->machines[1]->applied);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(brokers_[0]->machines[1]->applied[i], payload(i));

    // A follower loses power: its host goes away and its disk keeps only what was synced.
    Broker& follower = broker_of(leader).id == 3 ? *brokers_[1] : *brokers_[2];
    follower.host.reset();
    follower.disk.crash();
    for (int i = 100; i < 150; ++i) ASSERT_TRUE(leader->propose(payload(i)));
    ASSERT_TRUE(
        run_until(io_, [&] { return broker_of(leader).machines[1]->applied.size() == 150; }));

    // It comes back on the same address with a fresh state machine and catches up from its log.
    follower.start(io_);
    connect(follower);
    ASSERT_TRUE(follower.add_group(1, all_ids()));
    ASSERT_TRUE(run_until(io_, [&] { return follower.machines[1]->applied.size() == 150; }));
    EXPECT_EQ(follower.machines[1]->applied, broker_of(leader).machines[1]->applied);
    EXPECT_EQ(follower.node(1)->leader(), leader->id());
}

TEST_F(NodeHostTest, AFollowerBehindTheLeadersSnapshotReceivesItOverTcp) {
    for (auto& b : brokers_) ASSERT_TRUE(b->add_group(1, all_ids()));
    ASSERT_TRUE(run_until(io_, [&] { return ready_leader(1) != nullptr; }));
    RaftNode* leader = ready_leader(1);
    Broker& follower = broker_of(leader).id == 3 ? *brokers_[1] : *brokers_[2];
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(leader->propose(payload(i)));
    ASSERT_TRUE(run_until(io_, [&] { return follower.machines[1]->applied.size() == 20; }));

    follower.host.reset();
    follower.disk.crash();
    for (int i = 20; i < 50; ++i) ASSERT_TRUE(leader->propose(payload(i)));
    ASSERT_TRUE(
        run_until(io_, [&] { return broker_of(leader).machines[1]->applied.size() == 50; }));
    ASSERT_TRUE(leader->snapshot_now());
    ASSERT_GT(leader->commit_index(), 20);
    ASSERT_EQ(broker_of(leader).host->node(GroupId(1)), leader);

    follower.start(io_);
    connect(follower);
    ASSERT_TRUE(follower.add_group(1, all_ids()));
    for (int i = 50; i < 60; ++i) ASSERT_TRUE(leader->propose(payload(i)));
    ASSERT_TRUE(run_until(io_, [&] { return follower.machines[1]->applied.size() == 60; }));
    EXPECT_EQ(follower.machines[1]->applied, broker_of(leader).machines[1]->applied);
    EXPECT_GT(follower.node(1)->applied_index(), 50);
}

TEST_F(NodeHostTest, HeartbeatsOfManyGroupsShareOneFramePerBrokerPair) {
    constexpr int kGroups = 200;
    for (int g = 1; g <= kGroups; ++g) {
        for (auto& b : brokers_) ASSERT_TRUE(b->add_group(g, all_ids()));
    }
    ASSERT_TRUE(run_until(io_, [&] {
        for (int g = 1; g <= kGroups; ++g) {
            if (!ready_leader(g)) return false;
        }
        return true;
    }));
    // Let a few heartbeat rounds pass with every group led somewhere.
    uint64_t frames_before = 0;
    for (auto& b : brokers_) frames_before += b->host->heartbeats().frames_taken();
    ASSERT_TRUE(run_until(io_, [&] {
        uint64_t frames = 0;
        for (auto& b : brokers_) frames += b->host->heartbeats().frames_taken();
        return frames >= frames_before + 60;
    }));
    uint64_t messages = 0;
    uint64_t frames = 0;
    for (auto& b : brokers_) {
        messages += b->host->heartbeats().messages_taken();
        frames += b->host->heartbeats().frames_taken();
    }
    // 200 groups on 3 brokers: each frame carries the heartbeats (or answers) of the groups one
    // broker leads for one peer, so on average dozens of groups per frame, never one each.
    EXPECT_GT(messages, 20 * frames) << messages << " heartbeats in " << frames << " frames";
    for (int g = 1; g <= kGroups; ++g) {
        RaftNode* leader = ready_leader(g);
        ASSERT_NE(leader, nullptr);
        for (auto& b : brokers_) EXPECT_EQ(b->node(g)->leader(), leader->id()) << "group " << g;
    }
}

}  // namespace
}  // namespace broker::raft

namespace broker::raft {
namespace {

TEST_F(NodeHostTest, ControlCallsFindTheirResponsesAndTimeOutWithoutAHandler) {
    // Broker 3 answers with the request reversed, broker 2 serves nothing.
    brokers_[2]->host->set_control_handler(
        [](NodeId from, std::span<const uint8_t> body, ControlReply reply) {
            if (from != NodeId(1)) return false;
            std::vector<uint8_t> out(body.rbegin(), body.rend());
            reply(std::move(out));
            return true;
        });
    std::vector<std::vector<uint8_t>> answers;
    for (uint8_t i = 0; i < 3; ++i) {
        brokers_[0]->host->call(NodeId(3), {i, 1, 2}, Millis(10000),
                                [&answers](common::Result<std::vector<uint8_t>> out) {
                                    ASSERT_TRUE(out) << out.error().message();
                                    answers.push_back(out.value());
                                });
    }
    ASSERT_TRUE(run_until(io_, [&] { return answers.size() == 3; }));
    EXPECT_EQ(answers[0], (std::vector<uint8_t>{2, 1, 0}));
    EXPECT_EQ(answers[2], (std::vector<uint8_t>{2, 1, 2}));

    std::optional<std::error_code> timed_out;
    brokers_[0]->host->call(NodeId(2), {1}, Millis(200),
                            [&](common::Result<std::vector<uint8_t>> out) {
                                ASSERT_FALSE(out);
                                timed_out = out.error();
                            });
    ASSERT_TRUE(run_until(io_, [&] { return timed_out.has_value(); }));
    EXPECT_EQ(*timed_out, std::make_error_code(std::errc::timed_out));

    std::optional<std::error_code> unknown;
    brokers_[0]->host->call(
        NodeId(9), {1}, Millis(10000),
        [&](common::Result<std::vector<uint8_t>> out) { unknown = out.error(); });
    ASSERT_TRUE(run_until(io_, [&] { return unknown.has_value(); }));
}

TEST_F(NodeHostTest, ControlRequestsGoToTheHandlerOfTheirBodyType) {
    // Broker 3: bodies of type 7 to one handler, everything else to the default one.
    auto answer_with = [](uint8_t tag) {
        return [tag](NodeId, std::span<const uint8_t>, ControlReply reply) {
            reply({tag});
            return true;
        };
    };
    brokers_[2]->host->set_control_handler(answer_with(0xd));
    brokers_[2]->host->set_control_handler(7, answer_with(0x7));
    std::map<int, std::vector<uint8_t>> answers;
    auto ask = [&](int key, std::vector<uint8_t> body) {
        brokers_[0]->host->call(NodeId(3), std::move(body), Millis(10000),
                                [&answers, key](common::Result<std::vector<uint8_t>> out) {
                                    ASSERT_TRUE(out) << out.error().message();
                                    answers[key] = out.value();
                                });
    };
    ask(0, {0, 7, 0, 0});  // type 7
    ask(1, {0, 1, 0, 0});  // type 1: the default handler
    ask(2, {0});           // too short for a type: the default handler
    ASSERT_TRUE(run_until(io_, [&] { return answers.size() == 3; }));
    EXPECT_EQ(answers[0], std::vector<uint8_t>{0x7});
    EXPECT_EQ(answers[1], std::vector<uint8_t>{0xd});
    EXPECT_EQ(answers[2], std::vector<uint8_t>{0xd});

    brokers_[2]->host->set_control_handler(7, {});  // removed: type 7 goes to the default
    ask(3, {0, 7});
    ASSERT_TRUE(run_until(io_, [&] { return answers.size() == 4; }));
    EXPECT_EQ(answers[3], std::vector<uint8_t>{0xd});
}

}  // namespace
}  // namespace broker::raft
