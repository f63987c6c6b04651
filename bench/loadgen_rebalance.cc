// tributary-loadgen rebalance: N consumers subscribe to one topic in a new group at the same
// moment; measured is the time from the first subscribe() until every member holds its share
// (all members assigned, every partition held by exactly one), over several trials.
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "loadgen_util.h"

namespace bench {
namespace {

// One group member of a trial. Its rebalance callback runs on the thread that polls it (the
// trial's only thread); owned by run_trial().
struct Member {
    rd_kafka_t* rk = nullptr;
    bool holds = false;           // assigned since the last revoke
    std::vector<int> partitions;  // what it holds
    long assigns = 0;
};

void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                  void* opaque) {
    auto* m = static_cast<Member*>(opaque);
    m->partitions.clear();
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        rd_kafka_assign(rk, parts);
        for (int i = 0; i < parts->cnt; ++i) m->partitions.push_back(parts->elems[i].partition);
        m->holds = true;
        ++m->assigns;
    } else {
        rd_kafka_assign(rk, nullptr);
        m->holds = false;
    }
}

bool settled(const std::vector<Member>& members, int partitions) {
    std::vector<int> held;
    for (const auto& m : members) {
        if (!m.holds) return false;
        held.insert(held.end(), m.partitions.begin(), m.partitions.end());
    }
    std::sort(held.begin(), held.end());
    if (static_cast<int>(held.size()) != partitions) return false;
    for (int p = 0; p < partitions; ++p) {
        if (held[static_cast<size_t>(p)] != p) return false;
    }
    return true;
}

rd_kafka_t* make_member(const Options& o, const std::string& group, Member* m) {
    const std::string heartbeat = std::to_string(o.heartbeat_ms);
    const std::string session = std::to_string(std::max(6000L, 10 * o.heartbeat_ms));
    rd_kafka_conf_t* conf = make_conf({{"bootstrap.servers", o.brokers},
                                       {"group.id", group},
                                       {"enable.auto.commit", "false"},
                                       {"heartbeat.interval.ms", heartbeat},
                                       {"session.timeout.ms", session}});
    if (conf == nullptr) return nullptr;
    rd_kafka_conf_set_rebalance_cb(conf, on_rebalance);
    rd_kafka_conf_set_opaque(conf, m);
    rd_kafka_t* rk = make_client(RD_KAFKA_CONSUMER, conf);
    if (rk != nullptr) rd_kafka_poll_set_consumer(rk);
    return rk;
}

void close_all(std::vector<Member>& members) {
    std::vector<std::thread> closers;
    for (auto& m : members) {
        if (m.rk == nullptr) continue;
        closers.emplace_back([rk = m.rk] {
            rd_kafka_consumer_close(rk);
            rd_kafka_destroy(rk);
        });
    }
    for (auto& t : closers) t.join();
}

// One trial with a fresh group: milliseconds until settled, or -1 (not within 60 s / error).
double run_trial(const Options& o, int partitions, long trial, long& assigns) {
    std::vector<Member> members(static_cast<size_t>(o.members));
    const std::string group =
        o.group + "-" + std::to_string(o.members) + "-" + std::to_string(trial);
    for (auto& m : members) {
        m.rk = make_member(o, group, &m);
        if (m.rk == nullptr) {
            close_all(members);
            return -1;
        }
    }
    rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, o.topic.c_str(), RD_KAFKA_PARTITION_UA);
    const auto t0 = Clock::now();
    for (auto& m : members) rd_kafka_subscribe(m.rk, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    double ms = -1;
    while (seconds_since(t0) < 60) {
        for (auto& m : members) {
            if (rd_kafka_message_t* msg = rd_kafka_consumer_poll(m.rk, 0)) {
                rd_kafka_message_destroy(msg);
            }
        }
        if (settled(members, partitions)) {
            ms = seconds_since(t0) * 1000.0;
            break;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    for (const auto& m : members) assigns += m.assigns;
    close_all(members);
    return ms;
}

}  // namespace

int rebalance(const Options& o) {
    rd_kafka_t* probe =
        make_client(RD_KAFKA_PRODUCER, make_conf({{"bootstrap.servers", o.brokers}}));
    if (probe == nullptr) return 1;
    const int partitions = partition_count(probe, o.topic);
    rd_kafka_destroy(probe);
    if (partitions <= 0) {
        std::fprintf(stderr, "loadgen: no metadata for topic %s\n", o.topic.c_str());
        return 1;
    }
    std::vector<double> times;
    long assigns = 0, failed = 0;
    for (long t = 0; t < o.trials; ++t) {
        const double ms = run_trial(o, partitions, t, assigns);
        if (ms < 0) {
            ++failed;
            std::fprintf(stderr, "loadgen: rebalance: %ld members did not settle within 60 s\n",
                         o.members);
            break;  // the next trials would not settle either
        }
        times.push_back(ms);
    }
    std::sort(times.begin(), times.end());
    auto at = [&](double q) {
        return times.empty()
                   ? 0.0
                   : times[std::min(times.size() - 1,
                                    static_cast<size_t>(q * static_cast<double>(times.size())))];
    };
    std::printf(
        "{\"mode\":\"rebalance\",\"members\":%ld,\"partitions\":%d,\"heartbeat_ms\":%ld,"
        "\"trials\":%ld,\"failed\":%ld,\"min_ms\":%.1f,\"median_ms\":%.1f,\"max_ms\":%.1f,"
        "\"assigns_per_member\":%.2f}\n",
        o.members, partitions, o.heartbeat_ms, o.trials, failed, times.empty() ? 0.0 : times[0],
        at(0.5), times.empty() ? 0.0 : times.back(),
        static_cast<double>(assigns) / static_cast<double>(o.members * o.trials));
    return failed == 0 ? 0 : 1;
}

}  // namespace bench
