// tributary-loadgen: a load generator on librdkafka's C API for `make bench`.
//
//   tributary-loadgen create-topic --brokers H:P --topic T --partitions N
//   tributary-loadgen produce --brokers H:P --topic T [--acks 1|all] [--size BYTES]
//                     [--records N] [--duration-s S] [--rate RECORDS_PER_S]
//                     [--compression none|gzip|snappy|lz4|zstd]
//   tributary-loadgen consume --brokers H:P --topic T [--records N] [--duration-s S]
//   tributary-loadgen e2e --brokers H:P --topic T [--group G] [--acks 1|all] [--size BYTES]
//                     [--rate RECORDS_PER_S] [--duration-s S] [--linger-ms MS]
//   tributary-loadgen rebalance --brokers H:P --topic T --members N [--trials K]
//                     [--heartbeat-ms MS]
//
// Each run prints one JSON line of measured figures (throughput; for produce, latency
// percentiles from the delivery reports, i.e. from produce() to acknowledgement; for e2e, from
// produce() to the record's arrival at a consumer-group member; for rebalance, the time until
// N members that subscribe at once all hold their share of the partitions). It measures and
// never judges: the exit code is non-zero only when the run itself failed.
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "loadgen_util.h"

namespace bench {
namespace {

// ---- create-topic ------------------------------------------------------------------------

int create_topic(const Options& o) {
    rd_kafka_t* rk = make_client(RD_KAFKA_PRODUCER, make_conf({{"bootstrap.servers", o.brokers}}));
    if (rk == nullptr) return 1;
    char err[512];
    rd_kafka_NewTopic_t* nt =
        rd_kafka_NewTopic_new(o.topic.c_str(), static_cast<int>(o.partitions), 1, err, sizeof err);
    rd_kafka_queue_t* q = rd_kafka_queue_new(rk);
    rd_kafka_CreateTopics(rk, &nt, 1, nullptr, q);
    rd_kafka_event_t* ev = rd_kafka_queue_poll(q, 30000);
    int rc = 1;
    if (ev == nullptr) {
        std::fprintf(stderr, "loadgen: CreateTopics timed out\n");
    } else if (rd_kafka_event_error(ev) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        std::fprintf(stderr, "loadgen: CreateTopics: %s\n", rd_kafka_event_error_string(ev));
    } else {
        size_t n = 0;
        const rd_kafka_topic_result_t** res =
            rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
        rd_kafka_resp_err_t e =
            n == 1 ? rd_kafka_topic_result_error(res[0]) : RD_KAFKA_RESP_ERR__FAIL;
        rc = (e == RD_KAFKA_RESP_ERR_NO_ERROR || e == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) ? 0
                                                                                              : 1;
        if (rc != 0) std::fprintf(stderr, "loadgen: CreateTopics: %s\n", rd_kafka_err2str(e));
    }
    if (ev != nullptr) rd_kafka_event_destroy(ev);
    rd_kafka_queue_destroy(q);
    rd_kafka_NewTopic_destroy(nt);
    rd_kafka_destroy(rk);
    return rc;
}

// ---- produce -----------------------------------------------------------------------------

// Delivery-report tally; owned by produce(), touched only on the thread that calls poll/flush.
struct DeliveryStats {
    std::vector<int64_t> latencies_us;
    long delivered = 0;
    long failed = 0;
    rd_kafka_resp_err_t first_error = RD_KAFKA_RESP_ERR_NO_ERROR;
};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    auto* s = static_cast<DeliveryStats*>(opaque);
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (s->failed++ == 0) s->first_error = m->err;
        return;
    }
    ++s->delivered;
    s->latencies_us.push_back(rd_kafka_message_latency(m));
}

// Queues one record, polling for delivery reports while the local queue is full.
bool produce_one(rd_kafka_t* rk, const Options& o, const std::vector<char>& payload) {
    for (;;) {
        rd_kafka_resp_err_t err = rd_kafka_producev(
            rk, RD_KAFKA_V_TOPIC(o.topic.c_str()),
            RD_KAFKA_V_VALUE(const_cast<char*>(payload.data()), payload.size()), RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return true;
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            std::fprintf(stderr, "loadgen: produce: %s\n", rd_kafka_err2str(err));
            return false;
        }
        rd_kafka_poll(rk, 1);
    }
}

// Sends `count` records and waits for them: warms connections, metadata and the topic.
bool send_and_flush(rd_kafka_t* rk, const Options& o, const std::vector<char>& payload,
                    long count) {
    for (long i = 0; i < count; ++i) {
        if (!produce_one(rk, o, payload)) return false;
    }
    return rd_kafka_flush(rk, 60000) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

int produce(const Options& o) {
    DeliveryStats stats;
    stats.latencies_us.reserve(static_cast<size_t>(std::min(o.records, 20000000L)));
    rd_kafka_conf_t* conf = make_conf({{"bootstrap.servers", o.brokers},
                                       {"acks", o.acks},
                                       {"compression.codec", o.compression},
                                       {"linger.ms", "5"},
                                       {"queue.buffering.max.messages", "2000000"},
                                       {"queue.buffering.max.kbytes", "1048576"}});
    if (conf == nullptr) return 1;
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_conf_set_opaque(conf, &stats);
    rd_kafka_t* rk = make_client(RD_KAFKA_PRODUCER, conf);
    if (rk == nullptr) return 1;

    std::vector<char> payload(static_cast<size_t>(o.size));
    for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>('a' + i % 26);
    if (!send_and_flush(rk, o, payload, 1000) || stats.failed != 0) {
        std::fprintf(stderr, "loadgen: warm-up failed: %s\n", rd_kafka_err2str(stats.first_error));
        rd_kafka_destroy(rk);
        return 1;
    }
    stats = DeliveryStats{};

    const auto t0 = Clock::now();
    long sent = 0;
    while (sent < o.records && seconds_since(t0) < o.duration_s) {
        if (o.rate > 0) {
            auto due = t0 + std::chrono::duration<double>(static_cast<double>(sent) / o.rate);
            std::this_thread::sleep_until(std::chrono::time_point_cast<Clock::duration>(due));
        }
        if (!produce_one(rk, o, payload)) break;
        if (++sent % 1024 == 0) rd_kafka_poll(rk, 0);
    }
    rd_kafka_flush(rk, 120000);
    const double secs = seconds_since(t0);
    const long unflushed = static_cast<long>(rd_kafka_outq_len(rk));
    rd_kafka_destroy(rk);

    std::sort(stats.latencies_us.begin(), stats.latencies_us.end());
    const double bytes = static_cast<double>(stats.delivered) * static_cast<double>(o.size);
    std::printf(
        "{\"mode\":\"produce\",\"acks\":\"%s\",\"size\":%ld,\"rate\":%ld,\"sent\":%ld,"
        "\"delivered\":%ld,\"failed\":%ld,\"unflushed\":%ld,\"first_error\":\"%s\","
        "\"seconds\":%.3f,\"bytes\":%.0f,\"records_per_s\":%.0f,\"mb_per_s\":%.2f,"
        "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f}\n",
        o.acks.c_str(), o.size, o.rate, sent, stats.delivered, stats.failed, unflushed,
        rd_kafka_err2name(stats.first_error), secs, bytes,
        static_cast<double>(stats.delivered) / secs, bytes / secs / 1e6,
        percentile_ms(stats.latencies_us, 0.50), percentile_ms(stats.latencies_us, 0.99),
        percentile_ms(stats.latencies_us, 0.999), percentile_ms(stats.latencies_us, 1.0));
    return stats.failed == 0 && unflushed == 0 ? 0 : 1;
}

// ---- consume -----------------------------------------------------------------------------

// Reads by assignment; group.id is only there because rd_kafka_consumer_poll needs one.
int consume(const Options& o) {
    rd_kafka_t* rk = make_client(RD_KAFKA_CONSUMER, make_conf({{"bootstrap.servers", o.brokers},
                                                               {"group.id", "tributary-loadgen"},
                                                               {"enable.auto.commit", "false"},
                                                               {"enable.partition.eof", "true"},
                                                               {"fetch.wait.max.ms", "100"}}));
    if (rk == nullptr) return 1;
    const int partitions = partition_count(rk, o.topic);
    if (partitions <= 0) {
        std::fprintf(stderr, "loadgen: no metadata for topic %s\n", o.topic.c_str());
        rd_kafka_destroy(rk);
        return 1;
    }
    rd_kafka_poll_set_consumer(rk);
    rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(partitions);
    for (int p = 0; p < partitions; ++p) {
        rd_kafka_topic_partition_list_add(parts, o.topic.c_str(), p)->offset =
            RD_KAFKA_OFFSET_BEGINNING;
    }
    rd_kafka_assign(rk, parts);
    rd_kafka_topic_partition_list_destroy(parts);

    long records = 0, errors = 0;
    double bytes = 0;
    std::vector<bool> at_eof(static_cast<size_t>(partitions), false);
    const auto t0 = Clock::now();
    auto all_eof = [&] {
        return std::all_of(at_eof.begin(), at_eof.end(), [](bool b) { return b; });
    };
    while (records < o.records && !all_eof() && seconds_since(t0) < o.duration_s) {
        rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 100);
        if (m == nullptr) continue;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            at_eof[static_cast<size_t>(m->partition)] = true;
        } else if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            if (errors++ == 0) {
                std::fprintf(stderr, "loadgen: consume: %s\n", rd_kafka_message_errstr(m));
            }
        } else {
            ++records;
            bytes += static_cast<double>(m->len);
            at_eof[static_cast<size_t>(m->partition)] = false;
        }
        rd_kafka_message_destroy(m);
    }
    const double secs = seconds_since(t0);
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    std::printf(
        "{\"mode\":\"consume\",\"records\":%ld,\"errors\":%ld,\"seconds\":%.3f,\"bytes\":%.0f,"
        "\"records_per_s\":%.0f,\"mb_per_s\":%.2f}\n",
        records, errors, secs, bytes, static_cast<double>(records) / secs, bytes / secs / 1e6);
    return errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
    bench::Options o;
    if (!bench::parse_options(argc, argv, o)) {
        std::fprintf(stderr,
                     "usage: tributary-loadgen create-topic|produce|consume|e2e|rebalance "
                     "--brokers H:P --topic T [--partitions N] [--acks 1|all] [--size B] "
                     "[--records N] [--duration-s S] [--rate R] [--compression C] [--group G] "
                     "[--members N] [--trials K] [--heartbeat-ms MS] [--linger-ms MS]\n");
        return 2;
    }
    if (o.mode == "create-topic") return bench::create_topic(o);
    if (o.mode == "produce") return bench::produce(o);
    if (o.mode == "consume") return bench::consume(o);
    if (o.mode == "e2e") return bench::end_to_end(o);
    if (o.mode == "rebalance") return bench::rebalance(o);
    std::fprintf(stderr, "loadgen: unknown mode %s\n", o.mode.c_str());
    return 2;
}
