// raft_append: Raft append throughput and commit latency over loopback TCP, on a real disk.
//
// Three brokers in one process, each a NodeHost with its own io_context thread, its own
// 127.0.0.x listener and its own directory (PosixFileIo, real fdatasync), run one Raft group.
// The leader keeps up to --window proposals uncommitted; the program prints entries/s, MiB/s and
// the proposal-to-commit latency percentiles seen by the leader, then stops the leader's host and
// prints the time until another node leads. Prints figures; never fails on speed. Usage:
// raft_append [--entries N] [--size BYTES] [--window N] [--dir PATH]

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "broker/raft/node_host.h"
#include "broker/storage/posix_file_io.h"
#include "common/asio.h"
#include "common/log.h"

namespace {

namespace asio = common::asio;
using namespace broker::raft;
using Clock = std::chrono::steady_clock;

struct Options {
    int64_t entries = 200000;
    size_t size = 100;
    int64_t window = 2000;
    std::string dir;
};

// Counts applied entries; keeps nothing.
class NullMachine final : public StateMachine {
  public:
    void apply(const Entry&) override {}
    common::Result<Bytes> take_snapshot() override { return Bytes{}; }
    common::Result<void> restore_snapshot(const SnapshotMeta&, const Bytes&) override {
        return common::ok();
    }
};

// One broker: an io_context thread with its host.
struct Broker {
    int id = 0;
    std::string address;
    uint16_t port = 0;
    asio::io_context io;
    std::unique_ptr<NodeHost> host;
    NullMachine machine;
    std::thread thread;
};

// Runs fn on the broker's thread and waits for its result.
template <class F>
auto on(Broker& b, F fn) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    asio::post(b.io, [&task] { task(); });
    return result.get();
}

// The leader's side of the run: proposes while fewer than `window` entries are uncommitted and
// records when each index was proposed and committed. Lives on the leader's thread.
struct Driver {
    std::atomic<RaftNode*> leader{nullptr};  // set on the leader's thread, read by callbacks
    Options options;
    int64_t proposed = 0;
    int64_t committed = 0;
    Index first_index = 0;
    std::map<Index, Clock::time_point> sent;
    std::vector<double> latencies_us;
    Clock::time_point start;
    std::promise<void> done;

    void fill() {
        Bytes payload(options.size, 0x5a);
        while (proposed < options.entries && proposed - committed < options.window) {
            auto pos = leader.load()->propose(payload);
            if (!pos) break;
            if (first_index == 0) first_index = pos.value().index;
            sent[pos.value().index] = Clock::now();
            ++proposed;
        }
    }
    void on_commit(Index commit) {
        auto now = Clock::now();
        while (!sent.empty() && sent.begin()->first <= commit) {
            latencies_us.push_back(
                std::chrono::duration<double, std::micro>(now - sent.begin()->second).count());
            sent.erase(sent.begin());
            ++committed;
        }
        if (committed == options.entries) done.set_value();
    }
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i];
        if (flag == "--entries") o.entries = std::atoll(argv[i + 1]);
        if (flag == "--size") o.size = static_cast<size_t>(std::atoll(argv[i + 1]));
        if (flag == "--window") o.window = std::atoll(argv[i + 1]);
        if (flag == "--dir") o.dir = argv[i + 1];
    }
    if (o.dir.empty()) o.dir = "/tmp/tributary-raft-append-" + std::to_string(::getpid());
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    Options options = parse(argc, argv);
    common::log::set_level("warn");
    broker::storage::PosixFileIo files;
    (void)files.remove_all(options.dir);
    std::vector<std::unique_ptr<Broker>> brokers;
    for (int id = 1; id <= 3; ++id) {
        auto b = std::make_unique<Broker>();
        b->id = id;
        b->address = "127.0.0." + std::to_string(id);
        b->host = std::make_unique<NodeHost>(b->io, files, NodeId(id));
        auto port = b->host->listen(b->address, 0);
        if (!port) {
            std::fprintf(stderr, "raft_append: cannot listen on %s: %s\n", b->address.c_str(),
                         port.error().message().c_str());
            return 1;
        }
        b->port = port.value();
        brokers.push_back(std::move(b));
    }
    Driver driver;
    driver.options = options;
    Membership members = Membership::of({NodeId(1), NodeId(2), NodeId(3)});
    for (auto& b : brokers) {
        for (auto& other : brokers) {
            if (other != b) b->host->set_peer(NodeId(other->id), other->address, other->port);
        }
        GroupSpec spec;
        spec.config.group = GroupId(1);
        spec.config.self = NodeId(b->id);
        spec.config.seed = static_cast<uint64_t>(b->id);
        spec.dir = options.dir + "/broker-" + std::to_string(b->id) + "/group-1";
        spec.state_machine = &b->machine;
        spec.initial = members;
        spec.callbacks.on_commit = [&driver, raw = b.get()](Index commit) {
            RaftNode* leader = driver.leader.load();
            if (leader == nullptr || leader->id() != NodeId(raw->id)) return;
            driver.on_commit(commit);
            asio::post(raw->io, [&driver] { driver.fill(); });
        };
        if (!b->host->add_group(std::move(spec))) return 1;
    }
    for (auto& b : brokers) {
        b->thread = std::thread([raw = b.get()] {
            auto guard = asio::make_work_guard(raw->io);
            raw->io.run();
        });
    }
    Broker* leader_broker = nullptr;
    while (leader_broker == nullptr) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        for (auto& b : brokers) {
            bool ready = on(*b, [&b] {
                RaftNode* n = b->host->node(GroupId(1));
                return n->is_leader() && n->leader_ready();
            });
            if (ready) leader_broker = b.get();
        }
    }
    auto done = driver.done.get_future();
    on(*leader_broker, [&] {
        driver.leader = leader_broker->host->node(GroupId(1));
        driver.start = Clock::now();
        driver.fill();
        return 0;
    });
    done.wait();
    double seconds = std::chrono::duration<double>(Clock::now() - driver.start).count();
    // Failover: the leader's host goes away; time until another node leads and is ready.
    on(*leader_broker, [&] {
        driver.leader.store(nullptr);
        leader_broker->host->stop();
        return 0;
    });
    auto stopped_at = Clock::now();
    Broker* next = nullptr;
    while (next == nullptr) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        for (auto& b : brokers) {
            if (b.get() == leader_broker) continue;
            bool ready = on(*b, [&b] {
                RaftNode* n = b->host->node(GroupId(1));
                return n->is_leader() && n->leader_ready();
            });
            if (ready) next = b.get();
        }
    }
    double failover_ms =
        std::chrono::duration<double, std::milli>(Clock::now() - stopped_at).count();
    for (auto& b : brokers) {
        on(*b, [&b] {
            b->host->stop();
            return 0;
        });
        b->io.stop();
        b->thread.join();
    }
    (void)files.remove_all(options.dir);
    double rate = static_cast<double>(options.entries) / seconds;
    std::printf("raft append, 3 nodes over loopback TCP, fdatasync per group commit\n");
    std::printf("  entries %lld x %zu B, window %lld: %.0f entries/s, %.1f MiB/s payload\n",
                static_cast<long long>(options.entries), options.size,
                static_cast<long long>(options.window), rate,
                rate * static_cast<double>(options.size) / (1 << 20));
    std::printf("  commit latency us: p50 %.0f  p99 %.0f  p99.9 %.0f  max %.0f\n",
                percentile(driver.latencies_us, 0.5), percentile(driver.latencies_us, 0.99),
                percentile(driver.latencies_us, 0.999), percentile(driver.latencies_us, 1.0));
    std::printf(
        "  leader failover (leader's host stopped -> new leader ready): %.0f ms "
        "(election timeout 300-600 ms)\n",
        failover_ms);
    return 0;
}
