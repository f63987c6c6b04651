#pragma once
// Shared pieces of tributary-loadgen (bench only): options, librdkafka client construction and
// percentiles. Plain functions; every client is owned by the mode that creates it.
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace bench {

using Clock = std::chrono::steady_clock;

struct Options {
    std::string mode;
    std::string brokers;
    std::string topic;
    std::string acks = "1";
    std::string compression = "none";
    std::string group;  // e2e/rebalance: group id (default: derived from the topic)
    long size = 100;
    long records = 1000000;
    long partitions = 3;
    long rate = 0;  // records/s; 0 = as fast as the client can queue
    long members = 1;
    long trials = 5;
    long heartbeat_ms = 3000;
    long linger_ms = 5;  // e2e producer
    double duration_s = 10.0;
};

bool parse_options(int argc, char** argv, Options& o);

double seconds_since(Clock::time_point t0);

// Builds a configuration; returns nullptr (after printing why) when a property is rejected.
rd_kafka_conf_t* make_conf(const std::vector<std::pair<std::string, std::string>>& props);

// rd_kafka_new; takes conf (also on failure). Returns nullptr after printing why.
rd_kafka_t* make_client(rd_kafka_type_t type, rd_kafka_conf_t* conf);

// The p-quantile (0..1) of sorted microsecond samples, in milliseconds (0 when empty).
double percentile_ms(const std::vector<int64_t>& sorted_us, double p);

// Partition count of a topic from Metadata; -1 when unknown.
int partition_count(rd_kafka_t* rk, const std::string& topic);

// Group modes (loadgen_groups.cc).
int end_to_end(const Options& o);
int rebalance(const Options& o);

}  // namespace bench
