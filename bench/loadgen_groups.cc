// tributary-loadgen group modes: end-to-end latency through a consumer-group member, and the time
// a group of N members takes to settle when they all subscribe at once.
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "loadgen_util.h"

namespace bench {
namespace {

// ---- e2e ---------------------------------------------------------------------------------

// Every e2e record starts with the steady-clock time of its produce() call and a sequence
// number (-1 for warm-up records), in host byte order: producer and consumer share a process.
constexpr size_t kStampBytes = 16;

int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
}

// The consuming side of e2e: one group member polled on its own thread. The atomics are read
// by the main thread; latencies_us and errors only after the thread was joined.
struct GroupReader {
    rd_kafka_t* rk = nullptr;
    std::atomic<bool> stop{false};
    std::atomic<bool> assigned{false};
    std::atomic<long> warmups{0};
    std::atomic<long> measured{0};
    std::vector<int64_t> latencies_us;
    long errors = 0;
};

bool has_assignment(rd_kafka_t* rk) {
    rd_kafka_topic_partition_list_t* parts = nullptr;
    if (rd_kafka_assignment(rk, &parts) != RD_KAFKA_RESP_ERR_NO_ERROR) return false;
    const bool any = parts->cnt > 0;
    rd_kafka_topic_partition_list_destroy(parts);
    return any;
}

void read_one(GroupReader& r, const rd_kafka_message_t* m) {
    const int64_t arrived = now_ns();
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) return;
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (r.errors++ == 0) std::fprintf(stderr, "loadgen: e2e: %s\n", rd_kafka_message_errstr(m));
        return;
    }
    if (m->len < kStampBytes) return;
    int64_t sent = 0, seq = 0;
    std::memcpy(&sent, m->payload, sizeof sent);
    std::memcpy(&seq, static_cast<const char*>(m->payload) + sizeof sent, sizeof seq);
    if (seq < 0) {
        r.warmups.fetch_add(1);
        return;
    }
    r.latencies_us.push_back((arrived - sent) / 1000);
    r.measured.fetch_add(1);
}

void read_loop(GroupReader* r) {
    while (!r->stop.load()) {
        rd_kafka_message_t* m = rd_kafka_consumer_poll(r->rk, 20);
        if (!r->assigned.load() && has_assignment(r->rk)) r->assigned.store(true);
        if (m == nullptr) continue;
        read_one(*r, m);
        rd_kafka_message_destroy(m);
    }
}

// Waits (bounded) until pred() holds; false on timeout.
template <typename Pred>
bool wait_until(Pred pred, double timeout_s, rd_kafka_t* producer = nullptr) {
    const auto t0 = Clock::now();
    while (!pred()) {
        if (seconds_since(t0) > timeout_s) return false;
        if (producer != nullptr) rd_kafka_poll(producer, 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

bool send_stamped(rd_kafka_t* rk, const Options& o, std::vector<char>& payload, int64_t seq) {
    const int64_t stamp = now_ns();
    std::memcpy(payload.data(), &stamp, sizeof stamp);
    std::memcpy(payload.data() + sizeof stamp, &seq, sizeof seq);
    for (;;) {
        rd_kafka_resp_err_t err = rd_kafka_producev(
            rk, RD_KAFKA_V_TOPIC(o.topic.c_str()), RD_KAFKA_V_VALUE(payload.data(), payload.size()),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return true;
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            std::fprintf(stderr, "loadgen: e2e produce: %s\n", rd_kafka_err2str(err));
            return false;
        }
        rd_kafka_poll(rk, 1);
    }
}

rd_kafka_t* make_group_reader(const Options& o) {
    rd_kafka_t* rk = make_client(RD_KAFKA_CONSUMER, make_conf({{"bootstrap.servers", o.brokers},
                                                               {"group.id", o.group},
                                                               {"auto.offset.reset", "earliest"}}));
    if (rk == nullptr) return nullptr;
    rd_kafka_poll_set_consumer(rk);
    rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, o.topic.c_str(), RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t err = rd_kafka_subscribe(rk, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        std::fprintf(stderr, "loadgen: subscribe: %s\n", rd_kafka_err2str(err));
        rd_kafka_destroy(rk);
        return nullptr;
    }
    return rk;
}

constexpr long kWarmups = 200;

// Produces at o.rate for o.duration_s once the reader holds its partitions; returns the number
// of records sent (-1 when the warm-up did not come through) and in `seconds` how long the paced
// sending and its flush took.
long produce_paced(rd_kafka_t* producer, const Options& o, GroupReader& reader, double& seconds) {
    std::vector<char> payload(static_cast<size_t>(std::max<long>(o.size, kStampBytes)), 'x');
    if (!wait_until([&] { return reader.assigned.load(); }, 60)) {
        std::fprintf(stderr, "loadgen: e2e: the group member got no partitions within 60 s\n");
        return -1;
    }
    for (long i = 0; i < kWarmups; ++i) send_stamped(producer, o, payload, -1);
    rd_kafka_flush(producer, 30000);
    if (!wait_until([&] { return reader.warmups.load() >= kWarmups; }, 60)) {
        std::fprintf(stderr, "loadgen: e2e: warm-up records not consumed within 60 s\n");
        return -1;
    }
    const long rate = o.rate > 0 ? o.rate : 10000;
    const auto t0 = Clock::now();
    long sent = 0;
    while (sent < o.records && seconds_since(t0) < o.duration_s) {
        auto due = t0 + std::chrono::duration<double>(static_cast<double>(sent) / rate);
        std::this_thread::sleep_until(std::chrono::time_point_cast<Clock::duration>(due));
        if (!send_stamped(producer, o, payload, sent)) break;
        ++sent;
        rd_kafka_poll(producer, 0);
    }
    rd_kafka_flush(producer, 60000);
    seconds = seconds_since(t0);
    return sent;
}

}  // namespace

int end_to_end(const Options& o) {
    GroupReader reader;
    reader.rk = make_group_reader(o);
    if (reader.rk == nullptr) return 1;
    reader.latencies_us.reserve(static_cast<size_t>(std::min(o.records, 5000000L)));
    rd_kafka_t* producer =
        make_client(RD_KAFKA_PRODUCER, make_conf({{"bootstrap.servers", o.brokers},
                                                  {"acks", o.acks},
                                                  {"linger.ms", std::to_string(o.linger_ms)}}));
    if (producer == nullptr) {
        rd_kafka_destroy(reader.rk);
        return 1;
    }
    std::thread thread(read_loop, &reader);
    double produce_s = 0;
    const long sent = produce_paced(producer, o, reader, produce_s);
    const bool all_read =
        sent >= 0 && wait_until([&] { return reader.measured.load() >= sent; }, 60, producer);
    reader.stop.store(true);
    thread.join();
    rd_kafka_destroy(producer);
    rd_kafka_consumer_close(reader.rk);
    rd_kafka_destroy(reader.rk);

    std::sort(reader.latencies_us.begin(), reader.latencies_us.end());
    const auto consumed = static_cast<long>(reader.latencies_us.size());
    const double bytes = static_cast<double>(consumed) * static_cast<double>(o.size);
    const double secs = produce_s > 0 ? produce_s : 1.0;  // 0 when the warm-up failed
    std::printf(
        "{\"mode\":\"e2e\",\"acks\":\"%s\",\"linger_ms\":%ld,\"size\":%ld,\"rate\":%ld,"
        "\"sent\":%ld,\"consumed\":%ld,\"errors\":%ld,\"seconds\":%.3f,\"bytes\":%.0f,"
        "\"records_per_s\":%.0f,\"mb_per_s\":%.3f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,"
        "\"max_ms\":%.3f}\n",
        o.acks.c_str(), o.linger_ms, o.size, o.rate, sent, consumed, reader.errors, produce_s,
        bytes, static_cast<double>(consumed) / secs, bytes / secs / 1e6,
        percentile_ms(reader.latencies_us, 0.50), percentile_ms(reader.latencies_us, 0.99),
        percentile_ms(reader.latencies_us, 0.999), percentile_ms(reader.latencies_us, 1.0));
    return all_read && reader.errors == 0 ? 0 : 1;
}

}  // namespace bench
