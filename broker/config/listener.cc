#include "broker/config/listener.h"

#include <algorithm>
#include <charconv>

#include "common/errc.h"

namespace broker::config {
namespace {

common::Result<Listener> parse_one(const std::string& entry, std::string* error) {
    auto fail = [&](const std::string& why) -> common::Result<Listener> {
        if (error) *error = "bad listener '" + entry + "': " + why;
        return common::Errc::InvalidArgument;
    };
    auto sep = entry.find("://");
    if (sep == std::string::npos || sep == 0) return fail("expected NAME://HOST:PORT");
    Listener l;
    l.name = entry.substr(0, sep);
    std::transform(l.name.begin(), l.name.end(), l.name.begin(), ::toupper);
    std::string rest = entry.substr(sep + 3);
    auto colon = rest.rfind(':');
    if (colon == std::string::npos) return fail("missing :PORT");
    l.host = rest.substr(0, colon);
    if (l.host.size() >= 2 && l.host.front() == '[' && l.host.back() == ']') {
        l.host = l.host.substr(1, l.host.size() - 2);
    }
    std::string port = rest.substr(colon + 1);
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || port.empty() || value > 65535) {
        return fail("port must be a number in [0, 65535]");
    }
    l.port = static_cast<uint16_t>(value);
    return l;
}

}  // namespace

common::Result<std::vector<Listener>> parse_listeners(const std::string& text, std::string* error) {
    std::vector<Listener> out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        std::string entry = text.substr(start, end - start);
        entry.erase(0, entry.find_first_not_of(" \t"));
        entry.erase(entry.find_last_not_of(" \t") + 1);
        if (!entry.empty()) {
            TRIBUTARY_TRY(listener, parse_one(entry, error));
            for (const auto& other : out) {
                if (other.name == listener.name) {
                    if (error) *error = "listener name " + listener.name + " appears twice";
                    return common::Errc::InvalidArgument;
                }
            }
            out.push_back(listener);
        }
        start = end + 1;
    }
    return out;
}

}  // namespace broker::config
