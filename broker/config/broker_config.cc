#include "broker/config/broker_config.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <thread>

#include "broker/config/listener.h"
#include "common/cluster_id.h"
#include "common/errc.h"
#include "common/log.h"

namespace broker::config {
namespace {

// How one property is parsed into BrokerConfig; `apply` returns an error text or "".
struct PropertyDef {
    const char* name;
    const char* default_value;
    std::function<std::string(BrokerConfig&, const std::string&)> apply;
    bool read_only = true;
};

std::optional<int64_t> to_int(const std::string& s) {
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

template <class T>
std::function<std::string(BrokerConfig&, const std::string&)> integer(T BrokerConfig::*field,
                                                                      int64_t min, int64_t max) {
    return [field, min, max](BrokerConfig& c, const std::string& raw) -> std::string {
        auto v = to_int(raw);
        if (!v || *v < min || *v > max) {
            return "expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) +
                   "], got '" + raw + "'";
        }
        c.*field = static_cast<T>(*v);
        return "";
    };
}

// A duration given in `unit_ms` units, stored in milliseconds; -1 stays -1 (unlimited).
std::function<std::string(BrokerConfig&, const std::string&)> duration(int64_t BrokerConfig::*field,
                                                                       int64_t unit_ms,
                                                                       bool allow_unlimited) {
    return [=](BrokerConfig& c, const std::string& raw) -> std::string {
        auto v = to_int(raw);
        if (!v || (*v < 1 && !(allow_unlimited && *v == -1)) || *v > INT64_MAX / unit_ms) {
            return std::string("expected a positive integer") + (allow_unlimited ? " or -1" : "") +
                   ", got '" + raw + "'";
        }
        c.*field = *v == -1 ? -1 : *v * unit_ms;
        return "";
    };
}

std::function<std::string(BrokerConfig&, const std::string&)> boolean(bool BrokerConfig::*field) {
    return [field](BrokerConfig& c, const std::string& raw) -> std::string {
        std::string lower = raw;
        std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
        if (lower != "true" && lower != "false") return "expected true or false, got '" + raw + "'";
        c.*field = lower == "true";
        return "";
    };
}

std::function<std::string(BrokerConfig&, const std::string&)> one_of(
    std::string BrokerConfig::*field, std::vector<std::string> allowed) {
    return [field, allowed](BrokerConfig& c, const std::string& raw) -> std::string {
        if (std::find(allowed.begin(), allowed.end(), raw) == allowed.end()) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            return "expected one of " + list + ", got '" + raw + "'";
        }
        c.*field = raw;
        return "";
    };
}

std::string apply_listeners(std::vector<Listener>& out, const std::string& raw, bool allow_empty) {
    std::string error;
    auto parsed = parse_listeners(raw, &error);
    if (!parsed) return error;
    if (parsed.value().empty() && !allow_empty) return "expected at least one listener";
    out = std::move(parsed).value();
    return "";
}

// Order matters where one key overrides another: Kafka's precedence is ms > minutes > hours,
// so the coarser keys come first and the finer ones overwrite them when set.
const std::vector<PropertyDef>& definitions() {
    static const std::vector<PropertyDef> defs = {
        {"node.id", "1", integer(&BrokerConfig::node_id, 0, INT32_MAX)},
        {"listeners", "PLAINTEXT://127.0.0.1:9092",
         [](BrokerConfig& c, const std::string& raw) {
             return apply_listeners(c.listeners, raw, false);
         }},
        {"advertised.listeners", "",
         [](BrokerConfig& c, const std::string& raw) {
             return apply_listeners(c.advertised_listeners, raw, true);
         }},
        {"log.dir", "./data",
         [](BrokerConfig& c, const std::string& raw) -> std::string {
             if (raw.empty()) return "expected a directory";
             c.log_dir = raw;
             return "";
         }},
        {"log.dirs", "",
         [](BrokerConfig& c, const std::string& raw) -> std::string {
             if (raw.empty()) return "";  // unset: log.dir applies
             auto comma = raw.find(',');
             if (comma != std::string::npos) {
                 return "only one log directory is supported for now, got '" + raw + "'";
             }
             c.log_dir = raw;
             return "";
         }},
        {"num.partitions", "1", integer(&BrokerConfig::num_partitions, 1, 1000000)},
        {"default.replication.factor", "1",
         integer(&BrokerConfig::default_replication_factor, 1, INT16_MAX)},
        {"min.insync.replicas", "1", integer(&BrokerConfig::min_insync_replicas, 1, INT32_MAX)},
        {"auto.create.topics.enable", "true", boolean(&BrokerConfig::auto_create_topics_enable)},
        {"log.segment.bytes", "1073741824",
         integer(&BrokerConfig::log_segment_bytes, 14, INT32_MAX)},
        {"log.roll.hours", "168", duration(&BrokerConfig::log_roll_ms, 3600000, false)},
        {"log.roll.ms", "", duration(&BrokerConfig::log_roll_ms, 1, false)},
        {"log.retention.hours", "168", duration(&BrokerConfig::log_retention_ms, 3600000, true)},
        {"log.retention.minutes", "", duration(&BrokerConfig::log_retention_ms, 60000, true)},
        {"log.retention.ms", "", duration(&BrokerConfig::log_retention_ms, 1, true)},
        {"log.retention.bytes", "-1", integer(&BrokerConfig::log_retention_bytes, -1, INT64_MAX)},
        {"log.retention.check.interval.ms", "300000",
         integer(&BrokerConfig::log_retention_check_interval_ms, 1, INT64_MAX)},
        {"message.max.bytes", "1048588", integer(&BrokerConfig::message_max_bytes, 0, INT32_MAX)},
        {"socket.request.max.bytes", "104857600",
         integer(&BrokerConfig::socket_request_max_bytes, 1, INT32_MAX)},
        {"compression.type", "producer",
         one_of(&BrokerConfig::compression_type,
                {"producer", "uncompressed", "gzip", "snappy", "lz4", "zstd"})},
        {"log.cleanup.policy", "delete",
         one_of(&BrokerConfig::log_cleanup_policy,
                {"delete", "compact", "compact,delete", "delete,compact"})},
        {"log.message.timestamp.type", "CreateTime",
         one_of(&BrokerConfig::log_message_timestamp_type, {"CreateTime", "LogAppendTime"})},
        {"offsets.topic.num.partitions", "50",
         integer(&BrokerConfig::offsets_topic_num_partitions, 1, 100000)},
        {"offsets.topic.replication.factor", "3",
         integer(&BrokerConfig::offsets_topic_replication_factor, 1, INT16_MAX)},
        {"offsets.retention.minutes", "10080",
         duration(&BrokerConfig::offsets_retention_ms, 60000, false)},
        {"offsets.retention.check.interval.ms", "600000",
         integer(&BrokerConfig::offsets_retention_check_interval_ms, 1, INT64_MAX)},
        {"group.initial.rebalance.delay.ms", "3000",
         integer(&BrokerConfig::group_initial_rebalance_delay_ms, 0, INT32_MAX)},
        {"group.min.session.timeout.ms", "6000",
         integer(&BrokerConfig::group_min_session_timeout_ms, 0, INT32_MAX)},
        {"group.max.session.timeout.ms", "1800000",
         integer(&BrokerConfig::group_max_session_timeout_ms, 0, INT32_MAX)},
        {"group.max.size", "2147483647", integer(&BrokerConfig::group_max_size, 1, INT32_MAX)},
        {"broker.heartbeat.interval.ms", "2000",
         integer(&BrokerConfig::broker_heartbeat_interval_ms, 1, INT32_MAX)},
        {"broker.session.timeout.ms", "9000",
         integer(&BrokerConfig::broker_session_timeout_ms, 1, INT32_MAX)},
        {"auto.leader.rebalance.enable", "true",
         boolean(&BrokerConfig::auto_leader_rebalance_enable)},
        {"leader.imbalance.check.interval.seconds", "300",
         integer(&BrokerConfig::leader_imbalance_check_interval_seconds, 1, INT32_MAX)},
        {"replica.lag.time.max.ms", "10000",
         integer(&BrokerConfig::replica_lag_time_max_ms, 1, INT32_MAX)},
        {"tributary.shards", "0", integer(&BrokerConfig::shards, 0, 1024)},
        {"tributary.partition.snapshot.interval.entries", "10000",
         integer(&BrokerConfig::partition_snapshot_interval_entries, 0, INT64_MAX)},
        {"admin.listeners", "",
         [](BrokerConfig& c, const std::string& raw) -> std::string {
             if (raw.empty()) {
                 c.admin_listener.reset();
                 return "";
             }
             std::string error;
             auto parsed = parse_listeners(raw, &error);
             if (!parsed) return error;
             if (parsed.value().size() != 1 || parsed.value()[0].name != "HTTP") {
                 return "expected one http://HOST:PORT, got '" + raw + "'";
             }
             c.admin_listener = parsed.value()[0];
             return "";
         }},
        {"log.level", "info",
         one_of(&BrokerConfig::log_level,
                {"trace", "debug", "info", "warn", "error", "critical", "off"})},
        {"controller.quorum.voters", "",
         [](BrokerConfig& c, const std::string& raw) -> std::string {
             std::string error;
             auto voters = parse_quorum_voters(raw, &error);
             if (!voters) return error;
             c.controller_quorum_voters = std::move(voters).value();
             return "";
         }},
        {"process.roles", "",
         [](BrokerConfig& c, const std::string& raw) -> std::string {
             auto roles = split_list(raw, false);
             c.broker_role = std::count(roles.begin(), roles.end(), "broker") > 0;
             c.controller_role = std::count(roles.begin(), roles.end(), "controller") > 0;
             size_t known = (c.broker_role ? 1 : 0) + (c.controller_role ? 1 : 0);
             if (roles.empty() || known != roles.size()) {
                 return "expected broker, controller or broker,controller, got '" + raw + "'";
             }
             return "";
         }},
        {"cluster.id", "",
         [](BrokerConfig& c, const std::string& raw) -> std::string {
             if (raw.empty()) {
                 c.cluster_id.reset();
                 return "";
             }
             if (!common::is_valid_cluster_id(raw)) {
                 return "expected a cluster id: 22 characters of URL-safe base64 without padding "
                        "(16 bytes), got '" +
                        raw + "'";
             }
             c.cluster_id = raw;
             return "";
         }},
        {"broker.rack", "",
         [](BrokerConfig& c, const std::string& raw) -> std::string {
             if (raw.empty()) {
                 c.broker_rack.reset();
             } else {
                 c.broker_rack = raw;
             }
             return "";
         }},
        {"controller.listener.names", "",
         [](BrokerConfig& c, const std::string& raw) -> std::string {
             c.controller_listener_names = split_list(raw, true);
             return "";
         }},
        {"inter.broker.listener.name", "",
         [](BrokerConfig& c, const std::string& raw) -> std::string {
             auto names = split_list(raw, true);
             if (names.size() > 1) return "expected one listener name, got '" + raw + "'";
             c.inter_broker_listener_name = names.empty() ? "" : names.front();
             return "";
         }},
        {"listener.security.protocol.map",
         "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL",
         [](BrokerConfig& c, const std::string& raw) -> std::string {
             std::string error;
             auto map = parse_protocol_map(raw, &error);
             if (!map) return error;
             c.listener_security_protocol_map = std::move(map).value();
             return "";
         }},
    };
    return defs;
}

}  // namespace

const Listener& BrokerConfig::advertised() const {
    if (!advertised_listeners.empty()) return advertised_listeners.front();
    for (const auto& l : listeners) {
        if (!is_controller_listener(l.name)) return l;
    }
    return listeners.front();
}

const Listener* BrokerConfig::advertised_for(std::string_view name) const {
    for (const auto* list : {&advertised_listeners, &listeners}) {
        for (const auto& l : *list) {
            if (l.name == name) return &l;
        }
    }
    return nullptr;
}

std::string BrokerConfig::security_protocol(std::string_view listener) const {
    auto it = listener_security_protocol_map.find(std::string(listener));
    return it == listener_security_protocol_map.end() ? "" : it->second;
}

bool BrokerConfig::is_controller_listener(std::string_view name) const {
    return std::find(controller_listener_names.begin(), controller_listener_names.end(), name) !=
           controller_listener_names.end();
}

std::vector<Listener> BrokerConfig::kafka_listeners() const {
    std::vector<Listener> out;
    for (const auto& l : listeners) {
        if (!is_controller_listener(l.name) && security_protocol(l.name) == kPlaintext) {
            out.push_back(l);
        }
    }
    return out;
}

common::Result<BrokerConfig> build_config(const Properties& props, std::string* error) {
    BrokerConfig config;
    std::string errors;
    for (const auto& def : definitions()) {
        auto it = props.find(def.name);
        bool set = it != props.end();
        const std::string& raw = set ? it->second : std::string(def.default_value);
        if (!set && raw.empty()) continue;  // a key whose default is "derived from another key"
        std::string problem = def.apply(config, raw);
        if (!problem.empty()) {
            errors += (errors.empty() ? "" : "\n") + std::string(def.name) + ": " + problem;
            continue;
        }
        if (set || std::string(def.default_value).size() > 0) {
            config.entries.push_back(
                {def.name, raw, set ? Source::StaticFile : Source::Default, def.read_only, false});
        }
    }
    for (const auto& [key, value] : props) {
        auto known = std::find_if(definitions().begin(), definitions().end(),
                                  [&](const PropertyDef& d) { return key == d.name; });
        if (known == definitions().end()) {
            common::log::get("config")->warn("unknown configuration '{}' ignored", key);
        }
    }
    for (const auto& l : config.advertised_listeners) {
        if (l.host.empty() || l.host == "0.0.0.0") {
            errors += (errors.empty() ? "" : "\n") +
                      std::string(
                          "advertised.listeners: a client-reachable host is required, "
                          "got '") +
                      l.host + "'";
        }
    }
    if (errors.empty()) errors = resolve_cluster_settings(config);
    if (!errors.empty()) {
        if (error) *error = errors;
        return common::Errc::InvalidArgument;
    }
    if (config.shards == 0) {
        config.shards = static_cast<int32_t>(std::max(1u, std::thread::hardware_concurrency()));
    }
    std::sort(config.entries.begin(), config.entries.end(),
              [](const Entry& a, const Entry& b) { return a.name < b.name; });
    return config;
}

}  // namespace broker::config
