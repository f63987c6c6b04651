// Shared pieces of tributary-loadgen; see loadgen_util.h.
#include "loadgen_util.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

namespace bench {

bool parse_options(int argc, char** argv, Options& o) {
    if (argc < 2) return false;
    o.mode = argv[1];
    std::map<std::string, std::string> kv;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (std::strncmp(argv[i], "--", 2) != 0) return false;
        kv[argv[i] + 2] = argv[i + 1];
    }
    if ((argc - 2) % 2 != 0) return false;
    auto str = [&](const char* k, std::string& out) {
        if (auto it = kv.find(k); it != kv.end()) out = it->second;
    };
    auto num = [&](const char* k, long& out) {
        if (auto it = kv.find(k); it != kv.end())
            out = std::strtol(it->second.c_str(), nullptr, 10);
    };
    str("brokers", o.brokers);
    str("topic", o.topic);
    str("acks", o.acks);
    str("compression", o.compression);
    str("group", o.group);
    num("size", o.size);
    num("records", o.records);
    num("partitions", o.partitions);
    num("rate", o.rate);
    num("members", o.members);
    num("trials", o.trials);
    num("heartbeat-ms", o.heartbeat_ms);
    num("linger-ms", o.linger_ms);
    if (auto it = kv.find("duration-s"); it != kv.end())
        o.duration_s = std::atof(it->second.c_str());
    if (o.group.empty()) o.group = "loadgen-" + o.topic;
    return !o.brokers.empty() && !o.topic.empty() && o.size > 0 && o.records > 0 && o.members > 0 &&
           o.trials > 0 && o.heartbeat_ms > 0;
}

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

rd_kafka_conf_t* make_conf(const std::vector<std::pair<std::string, std::string>>& props) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char err[512];
    for (const auto& [k, v] : props) {
        if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
            std::fprintf(stderr, "loadgen: %s=%s: %s\n", k.c_str(), v.c_str(), err);
            rd_kafka_conf_destroy(conf);
            return nullptr;
        }
    }
    return conf;
}

rd_kafka_t* make_client(rd_kafka_type_t type, rd_kafka_conf_t* conf) {
    if (conf == nullptr) return nullptr;
    char err[512];
    rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);  // takes conf on success
    if (rk == nullptr) {
        std::fprintf(stderr, "loadgen: rd_kafka_new: %s\n", err);
        rd_kafka_conf_destroy(conf);
    }
    return rk;
}

double percentile_ms(const std::vector<int64_t>& sorted_us, double p) {
    if (sorted_us.empty()) return 0;
    auto idx = static_cast<size_t>(p * static_cast<double>(sorted_us.size()));
    return static_cast<double>(sorted_us[std::min(idx, sorted_us.size() - 1)]) / 1000.0;
}

int partition_count(rd_kafka_t* rk, const std::string& topic) {
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
    const rd_kafka_metadata_t* md = nullptr;
    int n = -1;
    if (rd_kafka_metadata(rk, 0, rkt, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            n = md->topics[0].partition_cnt;
        }
        rd_kafka_metadata_destroy(md);
    }
    rd_kafka_topic_destroy(rkt);
    return n;
}

}  // namespace bench
