#include "operator/runtime/conditions.h"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

namespace kop::runtime {

const Json* find_condition(const Json& conditions, const std::string& type) {
    if (!conditions.is_array()) return nullptr;
    for (const auto& c : conditions) {
        if (c.is_object() && c.value("type", "") == type) return &c;
    }
    return nullptr;
}

bool condition_is_true(const Json& conditions, const std::string& type) {
    const Json* c = find_condition(conditions, type);
    return c != nullptr && c->value("status", "") == "True";
}

bool set_condition(Json& conditions, const Condition& c, const std::string& now) {
    if (!conditions.is_array()) conditions = Json::array();
    Json wanted = {{"type", c.type},
                   {"status", c.status},
                   {"reason", c.reason},
                   {"message", c.message},
                   {"observedGeneration", c.observed_generation},
                   {"lastTransitionTime", now}};
    for (auto& existing : conditions) {
        if (!existing.is_object() || existing.value("type", "") != c.type) continue;
        if (existing.value("status", "") == c.status && existing.contains("lastTransitionTime")) {
            wanted["lastTransitionTime"] = existing["lastTransitionTime"];
        }
        if (existing == wanted) return false;
        existing = wanted;
        return true;
    }
    conditions.push_back(wanted);
    return true;
}

namespace {
std::string format_now(bool micro) {
    auto now = std::chrono::system_clock::now();
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::string base = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900,
                                   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (!micro) return base + "Z";
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()) %
              std::chrono::seconds(1);
    return base + fmt::format(".{:06}Z", us.count());
}
}  // namespace

std::string now_rfc3339() {
    return format_now(false);
}
std::string now_rfc3339_micro() {
    return format_now(true);
}

}  // namespace kop::runtime
