#include <fstream>
#include <sstream>

#include "broker/config/broker_config.h"
#include "common/errc.h"

namespace broker::config {
namespace {

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\f");
    if (b == std::string::npos) return "";
    auto e = s.find_last_not_of(" \t\r\f");
    return s.substr(b, e - b + 1);
}

// Joins lines ending in an odd number of backslashes with the next line.
std::vector<std::string> logical_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line, pending;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        size_t slashes = 0;
        while (slashes < line.size() && line[line.size() - 1 - slashes] == '\\') ++slashes;
        if (slashes % 2 == 1) {
            pending += pending.empty() ? line : trim(line);
            pending.pop_back();  // the continuation backslash
            continue;
        }
        lines.push_back(pending.empty() ? line : pending + trim(line));
        pending.clear();
    }
    if (!pending.empty()) lines.push_back(pending);
    return lines;
}

}  // namespace

common::Result<Properties> parse_properties(const std::string& text, std::string* error) {
    Properties props;
    int number = 0;
    for (const auto& raw : logical_lines(text)) {
        ++number;
        std::string line = trim(raw);
        if (line.empty() || line[0] == '#' || line[0] == '!') continue;
        size_t sep = line.find_first_of("=:");
        std::string key = trim(line.substr(0, sep));
        if (key.empty()) {
            if (error) *error = "line " + std::to_string(number) + ": no key in '" + line + "'";
            return common::Errc::InvalidArgument;
        }
        props[key] = sep == std::string::npos ? "" : trim(line.substr(sep + 1));
    }
    return props;
}

common::Result<BrokerConfig> load_config(int argc, const char* const* argv, std::string* error) {
    auto fail = [&](const std::string& why) -> common::Result<BrokerConfig> {
        if (error) *error = why;
        return common::Errc::InvalidArgument;
    };
    Properties props;
    std::vector<std::pair<std::string, std::string>> overrides;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if ((arg == "--config" || arg == "--set") && i + 1 >= argc) {
            return fail(arg + " needs a value");
        }
        if (arg == "--config") {
            std::ifstream in(argv[++i]);
            if (!in) return fail(std::string("cannot read config file ") + argv[i]);
            std::stringstream text;
            text << in.rdbuf();
            std::string parse_error;
            auto parsed = parse_properties(text.str(), &parse_error);
            if (!parsed) return fail(std::string(argv[i]) + ": " + parse_error);
            for (auto& [k, v] : parsed.value()) props[k] = v;
        } else if (arg == "--set") {
            std::string kv = argv[++i];
            auto eq = kv.find('=');
            if (eq == std::string::npos || eq == 0)
                return fail("--set expects key=value, got '" + kv + "'");
            overrides.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
        } else {
            return fail("unknown argument '" + arg +
                        "' (usage: tributary-broker [--config FILE] [--set key=value]...)");
        }
    }
    for (auto& [k, v] : overrides) props[k] = v;
    return build_config(props, error);
}

}  // namespace broker::config
