#include "broker/admin/group_lag.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/protocol/reader.h"

namespace broker::admin {

namespace {

using nlohmann::json;

json optional_json(const std::optional<std::string>& s) {
    return s ? json(*s) : json(nullptr);
}
json optional_json(const std::optional<int64_t>& v) {
    return v ? json(*v) : json(nullptr);
}

json assignments_json(const std::vector<uint8_t>& assignment) {
    json out = json::array();
    auto decoded = decode_consumer_assignment(assignment);
    if (!decoded) return out;
    for (const auto& [topic, partitions] : *decoded) {
        out.push_back({{"topic", topic}, {"partitions", partitions}});
    }
    return out;
}

json summary_json(const GroupLag& g) {
    return {{"group", g.view.group_id},
            {"state", g.view.state},
            {"protocol_type", g.view.protocol_type},
            {"protocol", g.view.protocol},
            {"generation", g.view.generation},
            {"members", g.view.members.size()},
            {"lag", g.total_lag()}};
}

// A label value in the Prometheus text format: backslash, double quote and newline escaped.
std::string label(const std::string& value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

void metric_header(std::ostringstream& out, const char* name, const char* help) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " gauge\n";
}

}  // namespace

int64_t GroupLag::total_lag() const {
    int64_t total = 0;
    for (const auto& p : partitions) total += p.lag.value_or(0);
    return total;
}

std::vector<GroupLag> compute_group_lag(std::vector<GroupView> views, const LogEndLookup& log_end) {
    std::sort(views.begin(), views.end(),
              [](const GroupView& a, const GroupView& b) { return a.group_id < b.group_id; });
    std::vector<GroupLag> out;
    out.reserve(views.size());
    for (auto& view : views) {
        GroupLag g;
        for (const auto& [tp, committed] : view.offsets) {
            PartitionLag p{tp.topic, tp.partition, committed.offset, log_end(tp), std::nullopt};
            if (p.log_end_offset)
                p.lag = std::max<int64_t>(0, *p.log_end_offset - p.committed_offset);
            g.partitions.push_back(std::move(p));
        }
        g.view = std::move(view);
        out.push_back(std::move(g));
    }
    return out;
}

std::optional<std::map<std::string, std::vector<int32_t>>> decode_consumer_assignment(
    std::span<const uint8_t> assignment) {
    using Map = std::map<std::string, std::vector<int32_t>>;
    common::protocol::Reader r(assignment);
    auto version = r.read_int16();
    if (!version || version.value() < 0) return std::nullopt;
    auto topics = r.read_array_length(false);
    if (!topics || topics.value() < 0) return std::nullopt;
    Map out;
    for (int32_t t = 0; t < topics.value(); ++t) {
        auto topic = r.read_string(false);
        auto count = r.read_array_length(false);
        if (!topic || !count || count.value() < 0) return std::nullopt;
        auto& partitions = out[topic.value()];
        for (int32_t i = 0; i < count.value(); ++i) {
            auto p = r.read_int32();
            if (!p) return std::nullopt;
            partitions.push_back(p.value());
        }
    }
    return std::optional<Map>(std::move(out));  // user data and later fields are not needed
}

std::string groups_json(const std::vector<GroupLag>& groups) {
    json list = json::array();
    for (const auto& g : groups) list.push_back(summary_json(g));
    return json{{"groups", std::move(list)}}.dump();
}

std::string group_json(const GroupLag& g) {
    json body = summary_json(g);
    json members = json::array();
    for (const auto& m : g.view.members) {
        members.push_back({{"member_id", m.member_id},
                           {"group_instance_id", optional_json(m.group_instance_id)},
                           {"client_id", m.client_id},
                           {"client_host", m.client_host},
                           {"assignments", assignments_json(m.assignment)}});
    }
    json offsets = json::array();
    for (const auto& p : g.partitions) {
        offsets.push_back({{"topic", p.topic},
                           {"partition", p.partition},
                           {"committed_offset", p.committed_offset},
                           {"log_end_offset", optional_json(p.log_end_offset)},
                           {"lag", optional_json(p.lag)}});
    }
    body["members"] = std::move(members);
    body["member_count"] = g.view.members.size();
    body["offsets"] = std::move(offsets);
    return body.dump();
}

std::string group_metrics_text(const std::vector<GroupLag>& groups) {
    std::ostringstream out;
    metric_header(out, "kafka_consumergroup_members", "Members of the consumer group.");
    for (const auto& g : groups) {
        out << "kafka_consumergroup_members{group=\"" << label(g.view.group_id) << "\"} "
            << g.view.members.size() << "\n";
    }
    metric_header(out, "kafka_consumergroup_committed_offset",
                  "Committed offset of the group for the partition.");
    for (const auto& g : groups) {
        for (const auto& p : g.partitions) {
            out << "kafka_consumergroup_committed_offset{group=\"" << label(g.view.group_id)
                << "\",topic=\"" << label(p.topic) << "\",partition=\"" << p.partition << "\"} "
                << p.committed_offset << "\n";
        }
    }
    metric_header(out, "kafka_consumergroup_lag",
                  "Log end offset (high watermark) minus the group's committed offset.");
    for (const auto& g : groups) {
        for (const auto& p : g.partitions) {
            if (!p.lag) continue;
            out << "kafka_consumergroup_lag{group=\"" << label(g.view.group_id) << "\",topic=\""
                << label(p.topic) << "\",partition=\"" << p.partition << "\"} " << *p.lag << "\n";
        }
    }
    metric_header(out, "kafka_consumergroup_lag_sum",
                  "Sum of the group's lag over its committed partitions.");
    for (const auto& g : groups) {
        out << "kafka_consumergroup_lag_sum{group=\"" << label(g.view.group_id) << "\"} "
            << g.total_lag() << "\n";
    }
    return out.str();
}

}  // namespace broker::admin
