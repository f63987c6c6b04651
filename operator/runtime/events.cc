#include "operator/runtime/events.h"

#include <chrono>

#include <fmt/format.h>

#include "operator/runtime/conditions.h"

namespace kop::runtime {
namespace {
constexpr size_t kMaxRemembered = 4096;
}

EventRecorder::EventRecorder(kube::KubeClient& client, std::string component, std::string instance)
    : client_(client), component_(std::move(component)), instance_(std::move(instance)) {}

Json EventRecorder::make_event(const Json& involved, const std::string& type,
                               const std::string& reason, const std::string& message,
                               const std::string& name, const std::string& now) const {
    std::string ns = meta_string(involved, "namespace");
    return Json{
        {"apiVersion", "v1"},
        {"kind", "Event"},
        {"metadata", {{"name", name}, {"namespace", ns.empty() ? "default" : ns}}},
        {"involvedObject",
         {{"apiVersion", involved.value("apiVersion", "")},
          {"kind", involved.value("kind", "")},
          {"name", meta_string(involved, "name")},
          {"namespace", ns},
          {"uid", meta_string(involved, "uid")},
          {"resourceVersion", meta_string(involved, "resourceVersion")}}},
        {"type", type},
        {"reason", reason},
        {"message", message},
        {"count", 1},
        {"firstTimestamp", now},
        {"lastTimestamp", now},
        {"source", {{"component", component_}}},
        {"reportingComponent", component_},
        {"reportingInstance", instance_},
    };
}

common::Result<void> EventRecorder::record(const Json& involved, const std::string& type,
                                           const std::string& reason, const std::string& message) {
    std::string key =
        fmt::format("{}\x1f{}\x1f{}\x1f{}", meta_string(involved, "uid"), type, reason, message);
    std::string now = now_rfc3339();
    std::lock_guard lock(mu_);
    auto it = seen_.find(key);
    if (it != seen_.end()) {
        Json patch = {{"count", it->second.count + 1}, {"lastTimestamp", now}};
        auto res = client_.patch(kube::events_v1(), it->second.ns, it->second.name,
                                 kube::PatchType::Merge, patch);
        if (res) {
            ++it->second.count;
            return common::ok();
        }
        if (res.error() != kube::Errc::NotFound) return res.error();
        seen_.erase(it);  // expired by the server's event TTL: record afresh
    }
    auto ticks = std::chrono::system_clock::now().time_since_epoch().count();
    std::string name =
        fmt::format("{}.{:x}{:04x}", meta_string(involved, "name"), ticks, ++sequence_ & 0xffff);
    Json event = make_event(involved, type, reason, message, name, now);
    std::string ns = event["metadata"]["namespace"];
    TRIBUTARY_TRY(client_.create(kube::events_v1(), ns, event));
    if (seen_.size() >= kMaxRemembered) seen_.clear();
    seen_[key] = Seen{ns, name, 1};
    return common::ok();
}

}  // namespace kop::runtime
