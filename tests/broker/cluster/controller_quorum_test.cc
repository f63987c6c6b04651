#include "broker/cluster/controller_quorum.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <set>
#include <thread>

#include "broker/cluster/errc.h"
#include "broker/storage/posix_file_io.h"
#include "common/asio.h"

namespace broker::cluster {
namespace {

namespace asio = common::asio;
using namespace std::chrono_literals;

// Liveness bound for the waits below (not a speed check: a healthy run takes a fraction of it).
constexpr auto kPatience = 60s;

// One quorum member with its own io_context thread, as in a broker.
struct Member {
    int32_t id = 0;
    std::string dir;
    uint16_t port = 0;
    asio::io_context io;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::unique_ptr<raft::NodeHost> host;
    std::unique_ptr<ControllerQuorum> quorum;
    std::thread thread;

    // Runs f on the member's io thread and returns its result.
    template <class F>
    auto on(F f) {
        // Shared: the shard may still be inside task() when get() returns here.
        auto task = std::make_shared<std::packaged_task<decltype(f())()>>(std::move(f));
        auto result = task->get_future();
        asio::post(io, [task] { (*task)(); });
        return result.get();
    }
};

class ControllerQuorumTest : public ::testing::Test {
  protected:
    void SetUp() override {
        root_ = std::filesystem::temp_directory_path() /
                ("tributary-quorum-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(root_);
        for (int32_t id = 1; id <= 3; ++id) {
            auto m = std::make_unique<Member>();
            m->id = id;
            m->dir = (root_ / ("node-" + std::to_string(id))).string();
            std::filesystem::create_directories(m->dir);
            members_.push_back(std::move(m));
        }
        for (auto& m : members_) create(*m);
        for (auto& m : members_) voters_.voters.push_back(raft::NodeId(m->id));
        for (auto& m : members_) run(*m);
    }

    void TearDown() override {
        for (auto& m : members_) halt(*m);
        std::filesystem::remove_all(root_);
    }

    // Each member's own meta.properties id (valid, different per member).
    static std::string cluster_id_of(int32_t id) {
        return std::string(21, static_cast<char>('A' + id)) + "A";
    }

    // A host on 127.0.0.1 (port 0 the first time, the same port on a restart) and the quorum.
    void create(Member& m) {
        m.host = std::make_unique<raft::NodeHost>(m.io, files_, raft::NodeId(m.id));
        auto port = m.host->listen("127.0.0.1", m.port);
        ASSERT_TRUE(port) << port.error().message();
        m.port = port.value();
        ControllerQuorumOptions options;
        options.node_id = m.id;
        options.dir = m.dir + "/__raft/0";
        options.settings = {6, 3};
        options.cluster_id = cluster_id_of(m.id);
        m.quorum = std::make_unique<ControllerQuorum>(m.io, *m.host, options);
    }

    void run(Member& m) {
        for (auto& other : members_) {
            if (other->id != m.id)
                m.host->set_peer(raft::NodeId(other->id), "127.0.0.1", other->port);
        }
        ASSERT_TRUE(m.quorum->start(voters_));
        m.io.restart();
        m.work.emplace(m.io.get_executor());
        m.thread = std::thread([&m] { m.io.run(); });
    }

    void halt(Member& m) {
        if (!m.thread.joinable()) return;
        m.on([&m] {
            m.quorum->stop();
            m.host->stop();
            return 0;
        });
        m.work.reset();
        m.io.stop();
        m.thread.join();
        m.quorum.reset();
        m.host.reset();
    }

    // Polls `pred` until it holds; false after kPatience.
    template <class Pred>
    bool eventually(Pred pred) {
        auto deadline = std::chrono::steady_clock::now() + kPatience;
        while (std::chrono::steady_clock::now() < deadline) {
            if (pred()) return true;
            std::this_thread::sleep_for(10ms);
        }
        return false;
    }

    Member* leader() {
        for (auto& m : members_) {
            if (m->thread.joinable() && m->on([&m] { return m->quorum->is_leader(); })) {
                return m.get();
            }
        }
        return nullptr;
    }

    Member* wait_for_leader() {
        Member* found = nullptr;
        eventually([&] { return (found = leader()) != nullptr; });
        return found;
    }

    ControllerResult submit(Member& m, ControllerQuorum::Command command) {
        std::promise<ControllerResult> promise;
        auto result = promise.get_future();
        m.on([&] {
            m.quorum->submit(std::move(command),
                             [&promise](ControllerResult r) { promise.set_value(std::move(r)); });
            return 0;
        });
        if (result.wait_for(kPatience) != std::future_status::ready) {
            return ControllerResult{make_error_code(std::errc::timed_out), "no answer", {}};
        }
        return result.get();
    }

    common::protocol::Bytes snapshot_of(Member& m) {
        return m.on([&m] { return m.quorum->cache().current()->snapshot(); });
    }

    // Every running member's cache holds the same state as `reference`'s.
    bool converged(Member& reference) {
        auto expected = snapshot_of(reference);
        for (auto& m : members_) {
            if (m->thread.joinable() && snapshot_of(*m) != expected) return false;
        }
        return true;
    }

    void register_brokers(Member& leader) {
        const char* racks[] = {"a", "b", "c"};
        for (int32_t id = 1; id <= 3; ++id) {
            BrokerRegistrationRequest r{id,
                                        Uuid{static_cast<uint8_t>(id)},
                                        racks[id - 1],
                                        {{"PLAIN", "b" + std::to_string(id), 9092, "PLAINTEXT"}}};
            auto registered =
                submit(leader, [r](const Controller& c) { return c.register_broker(r); });
            ASSERT_TRUE(registered) << registered.message;
            auto unfenced = submit(leader, [id](const Controller& c) {
                return c.unfence_broker(id, c.state().broker(id)->epoch);
            });
            ASSERT_TRUE(unfenced) << unfenced.message;
        }
    }

    storage::PosixFileIo files_;
    std::filesystem::path root_;
    std::vector<std::unique_ptr<Member>> members_;
    raft::Membership voters_;
};

TEST_F(ControllerQuorumTest, OneLeaderRunsCommandsAndEveryMemberAppliesThem) {
    Member* lead = wait_for_leader();
    ASSERT_NE(lead, nullptr);
    for (auto& m : members_) {
        if (m.get() == lead) continue;
        auto refused = submit(*m, [](const Controller& c) { return c.delete_topic("x"); });
        EXPECT_EQ(refused.error, make_error_code(Errc::NotController));
    }
    register_brokers(*lead);
    CreateTopicArgs args;
    args.name = "orders";
    args.replication_factor = 3;
    auto created = submit(*lead, [args](const Controller& c) { return c.create_topic(args); });
    ASSERT_TRUE(created) << created.message;
    auto again = submit(*lead, [args](const Controller& c) { return c.create_topic(args); });
    EXPECT_EQ(again.error, make_error_code(Errc::TopicAlreadyExists));

    ASSERT_TRUE(eventually([&] { return converged(*lead); }));
    for (auto& m : members_) {
        auto state = m->on([&m] { return m->quorum->cache().current(); });
        const auto* topic = state->topic("orders");
        ASSERT_NE(topic, nullptr) << "member " << m->id;
        ASSERT_EQ(topic->partitions.size(), 6u);  // num.partitions of the settings
        for (const auto& p : topic->partitions) {
            std::set<std::string> racks;
            for (int32_t r : p.replicas) racks.insert(*state->broker(r)->rack);
            EXPECT_EQ(racks.size(), 3u);
        }
    }
}

TEST_F(ControllerQuorumTest, NewLeaderAfterAFailureFencesTheLostBrokerWithoutElecting) {
    Member* first = wait_for_leader();
    ASSERT_NE(first, nullptr);
    register_brokers(*first);
    CreateTopicArgs args;
    args.name = "events";
    args.replication_factor = 3;
    ASSERT_TRUE(submit(*first, [args](const Controller& c) { return c.create_topic(args); }));
    ASSERT_TRUE(eventually([&] { return converged(*first); }));

    int32_t lost = first->id;
    halt(*first);
    Member* second = wait_for_leader();
    ASSERT_NE(second, nullptr);
    ASSERT_NE(second->id, lost);
    auto before = second->on([&] { return second->quorum->cache().current(); });
    auto fenced = submit(*second, [lost](const Controller& c) {
        return c.fence_broker(lost, c.state().broker(lost)->epoch);
    });
    ASSERT_TRUE(fenced) << fenced.message;
    ASSERT_TRUE(eventually([&] { return converged(*second); }));
    auto after = second->on([&] { return second->quorum->cache().current(); });
    const auto& old_partitions = before->topic("events")->partitions;
    const auto& partitions = after->topic("events")->partitions;
    // What the lost broker led has no leader until Raft reports one; it left every ISR.
    for (size_t i = 0; i < partitions.size(); ++i) {
        if (old_partitions[i].leader == lost) {
            EXPECT_EQ(partitions[i].leader, -1);
            EXPECT_EQ(partitions[i].leader_epoch, old_partitions[i].leader_epoch);
        } else {
            EXPECT_EQ(partitions[i].leader, old_partitions[i].leader);
        }
        const auto& isr = partitions[i].isr;
        EXPECT_EQ(std::find(isr.begin(), isr.end(), lost), isr.end());
    }

    // The lost member restarts from its own log and catches up.
    create(*first);
    run(*first);
    ASSERT_TRUE(eventually([&] { return converged(*second); }));
}

TEST_F(ControllerQuorumTest, FirstLeaderCommitsItsClusterIdAndALaterLeaderKeepsIt) {
    Member* lead = wait_for_leader();
    ASSERT_NE(lead, nullptr);
    const std::string id = cluster_id_of(lead->id);
    auto cluster_id = [](Member& m) {
        return m.on([&m] { return m.quorum->cache().current()->cluster_id(); });
    };
    ASSERT_TRUE(eventually([&] {
        for (auto& m : members_) {
            if (cluster_id(*m) != id) return false;
        }
        return true;
    })) << "every member applies the first leader's id "
        << id;

    halt(*lead);
    Member* next = nullptr;
    ASSERT_TRUE(eventually([&] { return (next = leader()) != nullptr && next != lead; }));
    register_brokers(*next);  // the new leader commits its first entries
    ASSERT_TRUE(eventually([&] { return converged(*next); }));
    for (auto& m : members_) {
        if (m->thread.joinable()) {
            EXPECT_EQ(cluster_id(*m), id) << "member " << m->id;
        }
    }
}

raft::Membership voters_of(std::vector<int32_t> ids, std::vector<int32_t> learners = {}) {
    std::vector<raft::NodeId> v, l;
    for (int32_t id : ids) v.emplace_back(id);
    for (int32_t id : learners) l.emplace_back(id);
    return raft::Membership::of(std::move(v), std::move(l));
}

TEST(VoterSetConflictTest, TheStoredVotersMustBeTheConfiguredOnes) {
    // Agreement, learners aside (broker-only nodes added to the quorum).
    EXPECT_EQ(voter_set_conflict(voters_of({1, 2, 3}, {4, 5}), voters_of({3, 2, 1})), "");
    // Nothing stored yet: a fresh node, or a broker-only node not yet added.
    EXPECT_EQ(voter_set_conflict(raft::Membership{}, voters_of({1, 2, 3})), "");
    EXPECT_EQ(voter_set_conflict(voters_of({}, {4}), voters_of({1, 2, 3})), "");
    // Grown from one voter, or shrunk to one: both sets are named.
    EXPECT_EQ(voter_set_conflict(voters_of({1}), voters_of({1, 2, 3})),
              "controller.quorum.voters names voters [1,2,3] but this node's metadata log was "
              "formed by voters [1]; the controller quorum's voters cannot change: start it with "
              "the voters it was formed with");
    EXPECT_NE(voter_set_conflict(voters_of({1, 2, 3}), voters_of({1})), "");
    EXPECT_NE(voter_set_conflict(voters_of({1, 2, 3}), voters_of({1, 2, 4})), "");
}

}  // namespace
}  // namespace broker::cluster
