#include "broker/cluster/topic_config.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <functional>

namespace broker::cluster {
namespace {

enum class Kind { Long, Int, Double, Bool, Enum, List };

struct TopicConfigDef {
    const char* name;
    Kind kind;
    const char* default_value;
    int64_t min = 0;                        // for Long/Int
    std::vector<std::string> allowed = {};  // for Enum/List
    const char* broker_name = "";           // the broker property it falls back to
    std::function<std::string(const config::BrokerConfig&)> broker_value = nullptr;
};

constexpr const char* kLongMax = "9223372036854775807";

const std::vector<TopicConfigDef>& defs() {
    using C = config::BrokerConfig;
    static const std::vector<TopicConfigDef> d = {
        {"cleanup.policy",
         Kind::List,
         "delete",
         0,
         {"delete", "compact"},
         "log.cleanup.policy",
         [](const C& c) { return c.log_cleanup_policy; }},
        {"compression.type",
         Kind::Enum,
         "producer",
         0,
         {"producer", "uncompressed", "gzip", "snappy", "lz4", "zstd"},
         "compression.type",
         [](const C& c) { return c.compression_type; }},
        {"delete.retention.ms", Kind::Long, "86400000", 0},
        {"file.delete.delay.ms", Kind::Long, "60000", 0},
        {"flush.messages", Kind::Long, kLongMax, 1},
        {"flush.ms", Kind::Long, kLongMax, 0},
        {"index.interval.bytes", Kind::Int, "4096", 0},
        {"max.compaction.lag.ms", Kind::Long, kLongMax, 1},
        {"max.message.bytes",
         Kind::Int,
         "1048588",
         0,
         {},
         "message.max.bytes",
         [](const C& c) { return std::to_string(c.message_max_bytes); }},
        {"message.downconversion.enable", Kind::Bool, "true"},
        {"message.timestamp.difference.max.ms", Kind::Long, kLongMax, 0},
        {"message.timestamp.type",
         Kind::Enum,
         "CreateTime",
         0,
         {"CreateTime", "LogAppendTime"},
         "log.message.timestamp.type",
         [](const C& c) { return c.log_message_timestamp_type; }},
        {"min.cleanable.dirty.ratio", Kind::Double, "0.5"},
        {"min.compaction.lag.ms", Kind::Long, "0", 0},
        {"min.insync.replicas",
         Kind::Int,
         "1",
         1,
         {},
         "min.insync.replicas",
         [](const C& c) { return std::to_string(c.min_insync_replicas); }},
        {"preallocate", Kind::Bool, "false"},
        {"retention.bytes",
         Kind::Long,
         "-1",
         -1,
         {},
         "log.retention.bytes",
         [](const C& c) { return std::to_string(c.log_retention_bytes); }},
        {"retention.ms",
         Kind::Long,
         "604800000",
         -1,
         {},
         "log.retention.ms",
         [](const C& c) { return std::to_string(c.log_retention_ms); }},
        {"segment.bytes",
         Kind::Int,
         "1073741824",
         14,
         {},
         "log.segment.bytes",
         [](const C& c) { return std::to_string(c.log_segment_bytes); }},
        {"segment.index.bytes", Kind::Int, "10485760", 4},
        {"segment.jitter.ms", Kind::Long, "0", 0},
        {"segment.ms",
         Kind::Long,
         "604800000",
         1,
         {},
         "log.roll.ms",
         [](const C& c) { return std::to_string(c.log_roll_ms); }},
        {"unclean.leader.election.enable", Kind::Bool, "false"},
    };
    return d;
}

const TopicConfigDef* find_def(const std::string& name) {
    for (const auto& d : defs()) {
        if (name == d.name) return &d;
    }
    return nullptr;
}

std::vector<std::string> split_list(const std::string& value) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= value.size()) {
        size_t end = value.find(',', start);
        if (end == std::string::npos) end = value.size();
        std::string item = value.substr(start, end - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty()) out.push_back(item);
        start = end + 1;
    }
    return out;
}

bool valid_value(const TopicConfigDef& d, const std::string& v) {
    switch (d.kind) {
        case Kind::Long:
        case Kind::Int: {
            int64_t n = 0;
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
            if (ec != std::errc() || p != v.data() + v.size() || v.empty()) return false;
            if (d.kind == Kind::Int && n > INT32_MAX) return false;
            return n >= d.min;
        }
        case Kind::Double: {
            char* end = nullptr;
            double x = std::strtod(v.c_str(), &end);
            return !v.empty() && end == v.c_str() + v.size() && x >= 0 && x <= 1;
        }
        case Kind::Bool:
            return v == "true" || v == "false";
        case Kind::Enum:
            return std::find(d.allowed.begin(), d.allowed.end(), v) != d.allowed.end();
        case Kind::List: {
            auto items = split_list(v);
            if (items.empty()) return false;
            return std::all_of(items.begin(), items.end(), [&](const std::string& i) {
                return std::find(d.allowed.begin(), d.allowed.end(), i) != d.allowed.end();
            });
        }
    }
    return false;
}

// Whether the broker property behind `broker_name` was set explicitly.
bool broker_set(const config::BrokerConfig& broker, const std::string& broker_name) {
    if (broker_name.empty()) return false;
    // log.roll.ms / log.retention.ms may have been given in hours or minutes.
    std::string stem = broker_name.substr(0, broker_name.rfind('.'));
    for (const auto& e : broker.entries) {
        if (e.source != config::Source::StaticFile) continue;
        if (e.name == broker_name) return true;
        if (broker_name.ends_with(".ms") &&
            (e.name == stem + ".hours" || e.name == stem + ".minutes")) {
            return true;
        }
    }
    return false;
}

const std::string& as_string(const std::vector<ResolvedConfig>& all, const char* name) {
    static const std::string kEmpty;
    for (const auto& r : all) {
        if (r.name == name) return r.value;
    }
    return kEmpty;
}

int64_t as_long(const std::vector<ResolvedConfig>& all, const char* name) {
    return std::strtoll(as_string(all, name).c_str(), nullptr, 10);
}

int8_t kafka_type(Kind kind) {
    switch (kind) {
        case Kind::Bool:
            return 1;
        case Kind::Enum:
            return 2;
        case Kind::Int:
            return 3;
        case Kind::Long:
            return 5;
        case Kind::Double:
            return 6;
        case Kind::List:
            return 7;
    }
    return 0;
}

}  // namespace

std::string validate_topic_configs(const TopicConfigMap& configs) {
    for (const auto& [name, value] : configs) {
        const TopicConfigDef* d = find_def(name);
        if (d == nullptr) return "Unknown topic config name: " + name;
        if (!valid_value(*d, value)) {
            return "Invalid value " + value + " for configuration " + name;
        }
    }
    return "";
}

bool is_list_config(const std::string& name) {
    const TopicConfigDef* d = find_def(name);
    return d != nullptr && d->kind == Kind::List;
}

std::vector<ResolvedConfig> resolve_topic_configs(const TopicConfigMap& overrides,
                                                  const config::BrokerConfig& broker) {
    std::vector<ResolvedConfig> out;
    for (const auto& d : defs()) {
        ResolvedConfig r;
        r.name = d.name;
        r.default_value = d.default_value;
        r.broker_name = d.broker_name;
        r.kafka_type = kafka_type(d.kind);
        if (d.broker_value) {
            r.broker_value = d.broker_value(broker);
            r.broker_value_set = broker_set(broker, d.broker_name);
        }
        if (auto it = overrides.find(d.name); it != overrides.end()) {
            r.value = it->second;
            r.source = ConfigSource::Topic;
        } else if (r.broker_value_set) {
            r.value = r.broker_value;
            r.source = ConfigSource::StaticBroker;
        } else {
            r.value = d.broker_value ? r.broker_value : std::string(d.default_value);
            r.source = ConfigSource::Default;
        }
        out.push_back(std::move(r));
    }
    return out;
}

storage::LogConfig log_config_for(const TopicConfigMap& overrides,
                                  const config::BrokerConfig& broker) {
    auto all = resolve_topic_configs(overrides, broker);
    storage::LogConfig c;
    c.segment_bytes = as_long(all, "segment.bytes");
    c.segment_ms = as_long(all, "segment.ms");
    c.retention_ms = as_long(all, "retention.ms");
    c.retention_bytes = as_long(all, "retention.bytes");
    c.index_interval_bytes = static_cast<int32_t>(as_long(all, "index.interval.bytes"));
    c.flush_messages = as_long(all, "flush.messages");
    c.flush_ms = as_long(all, "flush.ms");
    auto policy = split_list(as_string(all, "cleanup.policy"));
    c.cleanup_delete = std::find(policy.begin(), policy.end(), "delete") != policy.end();
    c.cleanup_compact = std::find(policy.begin(), policy.end(), "compact") != policy.end();
    c.delete_retention_ms = as_long(all, "delete.retention.ms");
    c.min_compaction_lag_ms = as_long(all, "min.compaction.lag.ms");
    c.min_cleanable_dirty_ratio =
        std::strtod(as_string(all, "min.cleanable.dirty.ratio").c_str(), nullptr);
    return c;
}

partition::PartitionSettings partition_settings_for(const TopicConfigMap& overrides,
                                                    const config::BrokerConfig& broker) {
    auto all = resolve_topic_configs(overrides, broker);
    partition::PartitionSettings s;
    s.max_message_bytes = static_cast<int32_t>(as_long(all, "max.message.bytes"));
    s.timestamp_type = as_string(all, "message.timestamp.type") == "LogAppendTime"
                           ? common::records::TimestampType::LogAppendTime
                           : common::records::TimestampType::CreateTime;
    return s;
}

namespace {

// A list config value from its items.
std::string join_list(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
    return out;
}

}  // namespace

std::string apply_config_change(TopicConfigMap& configs, const ConfigChange& c,
                                const config::BrokerConfig& broker) {
    using Op = ConfigChange::Op;
    if (c.op == Op::Delete) {
        configs.erase(c.name);
        return "";
    }
    if (!c.value) return "A value is required for configuration " + c.name;
    if (c.op == Op::Set) {
        configs[c.name] = *c.value;
        return "";
    }
    if (!is_list_config(c.name)) {
        return "Config value append/subtract is not allowed for config key: " + c.name;
    }
    std::string current;
    for (const auto& r : resolve_topic_configs(configs, broker)) {
        if (r.name == c.name) current = r.value;
    }
    auto items = split_list(current);
    for (const auto& v : split_list(*c.value)) {
        auto it = std::find(items.begin(), items.end(), v);
        if (c.op == Op::Append && it == items.end()) items.push_back(v);
        if (c.op == Op::Subtract && it != items.end()) items.erase(it);
    }
    if (items.empty()) {
        configs.erase(c.name);
    } else {
        configs[c.name] = join_list(items);
    }
    return "";
}

CreateTopicArgs offsets_topic_args(const config::BrokerConfig& broker, int16_t replication_factor) {
    CreateTopicArgs args;
    args.name = std::string(kConsumerOffsetsTopic);
    args.partitions = broker.offsets_topic_num_partitions;
    args.replication_factor = replication_factor;
    args.configs = {{"cleanup.policy", "compact"},
                    {"compression.type", "producer"},
                    {"segment.bytes", "104857600"}};
    args.internal = true;
    return args;
}

}  // namespace broker::cluster
