#include "operator/model/property_template.h"

#include <charconv>

#include "common/errc.h"

namespace kop::model {
namespace {

// Finds the next "${...}" at or after `from`; returns false when there is none (or unclosed).
bool next_placeholder(const std::string& text, size_t from, size_t& begin, size_t& end) {
    begin = text.find("${", from);
    if (begin == std::string::npos) return false;
    end = text.find('}', begin + 2);
    return end != std::string::npos;
}

Placeholder parse(const std::string& inner) {
    auto colon = inner.find(':');
    if (colon == std::string::npos) return {inner, ""};
    return {inner.substr(0, colon), inner.substr(colon + 1)};
}

template <class Map>
bool lookup(const Map& map, const std::string& key, std::string& out) {
    auto it = map.find(key);
    if (it == map.end()) return false;
    if constexpr (std::is_same_v<typename Map::mapped_type, std::string>) {
        out = it->second;
    } else {
        out = std::to_string(it->second);
    }
    return true;
}

bool non_empty(const std::string& value, std::string& out) {
    out = value;
    return !value.empty();
}

// The value of one placeholder; false when unknown or missing.
bool resolve(const Placeholder& p, const BrokerFacts& f, std::string& out) {
    if (p.name == "ORDINAL") {
        auto ordinal = pod_ordinal(f.pod_name);
        if (!ordinal) return false;
        out = std::to_string(ordinal.value());
        return true;
    }
    if (p.name == "PROCESS_ROLES") {
        // The first <argument> pods are the controller voters; the others are broker-only.
        auto ordinal = pod_ordinal(f.pod_name);
        int32_t voters = 0;
        auto [end, ec] =
            std::from_chars(p.argument.data(), p.argument.data() + p.argument.size(), voters);
        if (!ordinal || ec != std::errc() || end != p.argument.data() + p.argument.size()) {
            return false;
        }
        out = ordinal.value() < voters ? "broker,controller" : "broker";
        return true;
    }
    if (p.name == "POD_NAME") return non_empty(f.pod_name, out);
    if (p.name == "POD_NAMESPACE") return non_empty(f.pod_namespace, out);
    if (p.name == "POD_IP") return non_empty(f.pod_ip, out);
    if (p.name == "NODE_NAME") return non_empty(f.node_name, out);
    if (p.name == "NODE_ADDRESS") return non_empty(f.node_address, out);
    if (p.name == "NODE_LABEL") return lookup(f.node_labels, p.argument, out);
    if (p.name == "NODEPORT") return lookup(f.node_ports, p.argument, out);
    if (p.name == "LB_ADDRESS") return lookup(f.lb_addresses, p.argument, out);
    return false;
}

}  // namespace

std::vector<Placeholder> placeholders(const std::string& text) {
    std::vector<Placeholder> out;
    size_t begin = 0;
    size_t end = 0;
    size_t from = 0;
    while (next_placeholder(text, from, begin, end)) {
        out.push_back(parse(text.substr(begin + 2, end - begin - 2)));
        from = end + 1;
    }
    return out;
}

common::Result<int32_t> pod_ordinal(const std::string& pod_name) {
    auto dash = pod_name.rfind('-');
    if (dash == std::string::npos || dash + 1 == pod_name.size() || pod_name.size() - dash > 7) {
        return common::Errc::InvalidArgument;
    }
    int32_t value = 0;
    for (size_t i = dash + 1; i < pod_name.size(); ++i) {
        char ch = pod_name[i];
        if (ch < '0' || ch > '9') return common::Errc::InvalidArgument;
        value = value * 10 + (ch - '0');
    }
    return value;
}

common::Result<std::string> expand_properties(const std::string& text, const BrokerFacts& facts,
                                              std::string* error) {
    std::string out;
    size_t begin = 0;
    size_t end = 0;
    size_t from = 0;
    while (next_placeholder(text, from, begin, end)) {
        out.append(text, from, begin - from);
        std::string inner = text.substr(begin + 2, end - begin - 2);
        std::string value;
        if (!resolve(parse(inner), facts, value)) {
            if (error != nullptr) *error = "no value for ${" + inner + "}";
            return common::Errc::NotFound;
        }
        out += value;
        from = end + 1;
    }
    out.append(text, from, std::string::npos);
    return out;
}

}  // namespace kop::model
