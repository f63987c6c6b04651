// Three quorum members in one process, each with its own io_context thread, NodeHost over TCP on
// 127.0.0.1, ControllerQuorum, ControllerService and BrokerRegistrar, as in a clustered broker:
// every broker registers and is unfenced through heartbeats, a stopped broker is fenced once its
// session expires, a restarted one registers again with a new epoch, and leader reports from
// the brokers become the partitions' leaders.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "broker/cluster/broker_registrar.h"
#include "broker/cluster/controller_service.h"
#include "broker/storage/posix_file_io.h"
#include "common/asio.h"

namespace broker::cluster {
namespace {

namespace asio = common::asio;
using namespace std::chrono_literals;

constexpr auto kPatience = 60s;  // liveness bound, not a speed check

struct Member {
    int32_t id = 0;
    std::string dir;
    uint16_t port = 0;
    uint8_t incarnation = 0;
    asio::io_context io;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::unique_ptr<raft::NodeHost> host;
    std::unique_ptr<ControllerQuorum> quorum;
    std::unique_ptr<ControllerService> service;
    std::unique_ptr<BrokerRegistrar> registrar;
    std::vector<LeaderReport> reports;  // what its registrar reports (read on its io thread)
    std::thread thread;

    template <class F>
    auto on(F f) {
        auto task = std::make_shared<std::packaged_task<decltype(f())()>>(std::move(f));
        auto result = task->get_future();
        asio::post(io, [task] { (*task)(); });
        return result.get();
    }
};

class ControllerServiceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        root_ = std::filesystem::temp_directory_path() /
                ("tributary-service-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(root_);
        for (int32_t id = 1; id <= 3; ++id) {
            auto m = std::make_unique<Member>();
            m->id = id;
            m->dir = (root_ / ("node-" + std::to_string(id))).string();
            std::filesystem::create_directories(m->dir);
            voters_.voters.push_back(raft::NodeId(id));
            members_.push_back(std::move(m));
        }
        for (auto& m : members_) bind(*m);
        for (auto& m : members_) run(*m);
    }

    void TearDown() override {
        for (auto& m : members_) halt(*m);
        std::filesystem::remove_all(root_);
    }

    void bind(Member& m) {
        m.host = std::make_unique<raft::NodeHost>(m.io, files_, raft::NodeId(m.id));
        auto port = m.host->listen("127.0.0.1", m.port);
        ASSERT_TRUE(port) << port.error().message();
        m.port = port.value();
    }

    // Starts the quorum, the service and the registrar (a new incarnation each time).
    void run(Member& m) {
        for (auto& other : members_) {
            if (other->id != m.id) {
                m.host->set_peer(raft::NodeId(other->id), "127.0.0.1", other->port);
            }
        }
        ControllerQuorumOptions qo;
        qo.node_id = m.id;
        qo.dir = m.dir + "/__raft/0";
        qo.settings = {1, 3};
        m.quorum = std::make_unique<ControllerQuorum>(m.io, *m.host, qo);
        ASSERT_TRUE(m.quorum->start(voters_));
        ControllerServiceOptions so;
        so.session_timeout = 800ms;
        so.check_interval = 50ms;
        m.service = std::make_unique<ControllerService>(m.io, *m.quorum, so);
        m.service->start(*m.host);
        BrokerRegistrarOptions ro;
        ro.node_id = m.id;
        ro.incarnation_id = Uuid{static_cast<uint8_t>(m.id), ++m.incarnation};
        ro.rack = "rack-" + std::to_string(m.id);
        ro.endpoints = {
            {"PLAINTEXT", "127.0.0.1", static_cast<uint16_t>(9000 + m.id), "PLAINTEXT"}};
        ro.interval = 50ms;
        ro.timeout = 500ms;
        m.registrar = std::make_unique<BrokerRegistrar>(m.io, *m.host, *m.quorum, *m.service, ro);
        m.registrar->set_report_source([&m] { return m.reports; });
        m.registrar->start();
        m.io.restart();
        m.work.emplace(m.io.get_executor());
        m.thread = std::thread([&m] { m.io.run(); });
    }

    void halt(Member& m) {
        if (!m.thread.joinable()) return;
        m.on([&m] {
            m.registrar->stop();
            m.service->stop();
            m.quorum->stop();
            m.host->stop();
            return 0;
        });
        m.work.reset();
        m.io.stop();
        m.thread.join();
        m.registrar.reset();
        m.service.reset();
        m.quorum.reset();
        m.host.reset();
    }

    template <class Pred>
    bool eventually(Pred pred) {
        auto deadline = std::chrono::steady_clock::now() + kPatience;
        while (std::chrono::steady_clock::now() < deadline) {
            if (pred()) return true;
            std::this_thread::sleep_for(10ms);
        }
        return false;
    }

    // The state as member `m` has applied it.
    std::shared_ptr<const MetadataState> state_of(Member& m) {
        return m.on([&m] { return m.quorum->cache().current(); });
    }

    Member* leader() {
        for (auto& m : members_) {
            if (m->thread.joinable() && m->on([&m] { return m->quorum->is_leader(); })) {
                return m.get();
            }
        }
        return nullptr;
    }

    // Every running member sees brokers `ids` registered; `fenced` says how.
    bool all_see(const std::vector<int32_t>& ids, bool fenced) {
        for (auto& m : members_) {
            if (!m->thread.joinable()) continue;
            auto state = state_of(*m);
            for (int32_t id : ids) {
                const auto* b = state->broker(id);
                if (b == nullptr || b->fenced != fenced) return false;
            }
        }
        return true;
    }

    storage::PosixFileIo files_;
    std::filesystem::path root_;
    std::vector<std::unique_ptr<Member>> members_;
    raft::Membership voters_;
};

TEST_F(ControllerServiceTest, BrokersRegisterAndAreUnfencedThroughHeartbeats) {
    ASSERT_TRUE(eventually([&] { return all_see({1, 2, 3}, false); }));
    auto state = state_of(*members_[0]);
    for (int32_t id = 1; id <= 3; ++id) {
        const auto* b = state->broker(id);
        EXPECT_EQ(b->rack, "rack-" + std::to_string(id));
        ASSERT_EQ(b->endpoints.size(), 1u);
        EXPECT_EQ(b->endpoints[0].port, 9000 + id);
        auto& m = *members_[static_cast<size_t>(id - 1)];
        EXPECT_TRUE(eventually(
            [&] { return m.on([&m] { return m.registrar->broker_epoch(); }) == b->epoch; }));
        EXPECT_GE(m.registrar->controller_id(), 1);
    }
}

TEST_F(ControllerServiceTest, StoppedBrokerIsFencedAndRegistersAgainWithANewEpoch) {
    ASSERT_TRUE(eventually([&] { return all_see({1, 2, 3}, false); }));
    Member* lead = nullptr;
    ASSERT_TRUE(eventually([&] { return (lead = leader()) != nullptr; }));
    Member& victim = lead->id == 3 ? *members_[0] : *members_[2];
    int64_t old_epoch = state_of(*lead)->broker(victim.id)->epoch;
    halt(victim);
    ASSERT_TRUE(eventually([&] {
        Member* l = leader();
        return l && l->on([&] { return l->quorum->cache().current()->broker(victim.id)->fenced; });
    }));
    bind(victim);
    run(victim);
    ASSERT_TRUE(eventually([&] {
        auto state = state_of(victim);
        const auto* b = state->broker(victim.id);
        return b && b->epoch > old_epoch && !b->fenced;
    }));
}

TEST_F(ControllerServiceTest, LeaderReportsBecomeThePartitionsLeaders) {
    ASSERT_TRUE(eventually([&] { return all_see({1, 2, 3}, false); }));
    Member* lead = nullptr;
    ASSERT_TRUE(eventually([&] { return (lead = leader()) != nullptr; }));
    CreateTopicArgs args;
    args.name = "orders";
    args.partitions = 1;
    args.replication_factor = 3;
    std::promise<ControllerResult> created;
    lead->on([&] {
        lead->quorum->submit([args](const Controller& c) { return c.create_topic(args); },
                             [&created](ControllerResult r) { created.set_value(std::move(r)); });
        return 0;
    });
    auto result = created.get_future().get();
    ASSERT_TRUE(result) << result.message;
    auto topic = *state_of(*lead)->topic("orders");
    const auto& p = topic.partitions[0];
    // Raft elected the second replica at term 7 with every replica caught up.
    Member& raft_leader = *members_[static_cast<size_t>(p.replicas[1] - 1)];
    raft_leader.on([&] {
        raft_leader.reports = {{topic.id, 0, 7, p.replicas}};
        return 0;
    });
    ASSERT_TRUE(eventually([&] {
        for (auto& m : members_) {
            const auto& now = state_of(*m)->topic("orders")->partitions[0];
            if (now.leader != raft_leader.id || now.leader_epoch != 7) return false;
        }
        return true;
    }));
    EXPECT_EQ(state_of(*lead)->topic("orders")->partitions[0].isr.size(), 3u);
}

}  // namespace
}  // namespace broker::cluster
