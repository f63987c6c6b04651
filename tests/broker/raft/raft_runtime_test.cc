#include "broker/raft/raft_runtime.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>

#include <gtest/gtest.h>

#include "common/asio.h"

namespace broker::raft {
namespace {

namespace asio = common::asio;

// A port free on `host` right now (the runtime binds it moments later).
uint16_t free_port(const std::string& host) {
    asio::io_context io;
    asio::ip::tcp::acceptor a(io, {asio::ip::make_address(host), 0});
    return a.local_endpoint().port();
}

config::BrokerConfig make_config(const config::Properties& props) {
    std::string error;
    auto c = config::build_config(props, &error);
    EXPECT_TRUE(c) << error;
    return c ? c.value() : config::BrokerConfig{};
}

class CountingMachine final : public StateMachine {
  public:
    void apply(const Entry& e) override {
        if (e.type == EntryType::Data) ++applied;
    }
    common::Result<Bytes> take_snapshot() override { return Bytes{}; }
    common::Result<void> restore_snapshot(const SnapshotMeta&, const Bytes&) override {
        return common::ok();
    }
    int applied = 0;
};

TEST(RaftRuntimeTest, TheRaftListenerIsTheFirstControllerListener) {
    auto c =
        make_config({{"node.id", "1"},
                     {"listeners", "PLAIN://127.0.0.1:9092,CONTROLLER://127.0.0.1:9090"},
                     {"listener.security.protocol.map", "PLAIN:PLAINTEXT,CONTROLLER:PLAINTEXT"},
                     {"controller.listener.names", "CONTROLLER"},
                     {"controller.quorum.voters", "1@127.0.0.1:9090"},
                     {"process.roles", "broker,controller"}});
    auto l = raft_listener(c);
    ASSERT_TRUE(l);
    EXPECT_EQ(l->name, "CONTROLLER");
    EXPECT_EQ(l->port, 9090);
    auto plain = make_config({{"node.id", "1"}, {"listeners", "PLAINTEXT://127.0.0.1:9092"}});
    EXPECT_FALSE(raft_listener(plain));
    asio::io_context io;
    EXPECT_FALSE(RaftRuntime::start(io, plain));
}

TEST(RaftRuntimeTest, ThreeBrokersStartedFromTheirConfigsFormTheControllerQuorum) {
    auto root = std::filesystem::path(::testing::TempDir()) /
                ("raftio_runtime_" + std::to_string(::getpid()));
    std::filesystem::remove_all(root);
    std::string voters;
    std::vector<std::pair<std::string, uint16_t>> controller;
    for (int id = 1; id <= 3; ++id) {
        std::string host = "127.0.0." + std::to_string(10 + id);
        controller.emplace_back(host, free_port(host));
        voters += (id > 1 ? "," : "") + std::to_string(id) + "@" + host + ":" +
                  std::to_string(controller.back().second);
    }
    asio::io_context io;
    std::vector<std::unique_ptr<RaftRuntime>> runtimes;
    std::vector<std::unique_ptr<CountingMachine>> machines;
    for (int id = 1; id <= 3; ++id) {
        const auto& [host, port] = controller[static_cast<size_t>(id - 1)];
        auto c =
            make_config({{"node.id", std::to_string(id)},
                         {"listeners", "PLAIN://" + host + ":0,CONTROLLER://" + host + ":" +
                                           std::to_string(port)},
                         {"listener.security.protocol.map", "PLAIN:PLAINTEXT,CONTROLLER:PLAINTEXT"},
                         {"controller.listener.names", "CONTROLLER"},
                         {"controller.quorum.voters", voters},
                         {"process.roles", "broker,controller"},
                         {"log.dirs", (root / std::to_string(id)).string()}});
        auto rt = RaftRuntime::start(io, c);
        ASSERT_TRUE(rt) << rt.error().message();
        EXPECT_EQ(rt.value()->port(), port);
        EXPECT_EQ(rt.value()->controller_voters(),
                  Membership::of({NodeId(1), NodeId(2), NodeId(3)}));
        machines.push_back(std::make_unique<CountingMachine>());
        GroupSpec spec;
        spec.config.group = kControllerGroup;
        spec.config.self = NodeId(id);
        spec.dir = rt.value()->group_dir(kControllerGroup);
        spec.state_machine = machines.back().get();
        spec.initial = rt.value()->controller_voters();
        ASSERT_TRUE(rt.value()->host().add_group(std::move(spec)));
        runtimes.push_back(std::move(rt).value());
    }
    auto run_until = [&io](const std::function<bool()>& done) {
        auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!done() && std::chrono::steady_clock::now() < give_up) {
            io.restart();
            io.run_for(std::chrono::milliseconds(5));
        }
        return done();
    };
    RaftNode* leader = nullptr;
    ASSERT_TRUE(run_until([&] {
        for (auto& rt : runtimes) {
            RaftNode* n = rt->host().node(kControllerGroup);
            if (n->is_leader() && n->leader_ready()) leader = n;
        }
        return leader != nullptr;
    }));
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(leader->propose(Bytes{static_cast<uint8_t>(i)}));
    ASSERT_TRUE(run_until([&] {
        for (auto& m : machines) {
            if (m->applied < 10) return false;
        }
        return true;
    }));
    EXPECT_TRUE(std::filesystem::is_directory(root / "1" / "__raft" / "0"));
    runtimes.clear();
    std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace broker::raft
