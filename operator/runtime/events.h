#pragma once
// EventRecorder: core/v1 Events about an object (a CR), as `kubectl describe` shows them.
// Repeats of the same (object, type, reason, message) bump count and lastTimestamp on the
// existing Event instead of creating another. Thread-safe; remembers at most a few thousand
// recent events. The KubeClient outlives it.

#include <map>
#include <mutex>
#include <string>

#include "common/result.h"
#include "operator/kube/kube_client.h"
#include "operator/runtime/object_key.h"

namespace kop::runtime {

class EventRecorder {
  public:
    EventRecorder(kube::KubeClient& client, std::string component, std::string instance = "");

    // `type` is "Normal" or "Warning"; `reason` PascalCase.
    common::Result<void> record(const Json& involved, const std::string& type,
                                const std::string& reason, const std::string& message);

    // The core/v1 Event object recorded for a first occurrence (pure; used by record()).
    Json make_event(const Json& involved, const std::string& type, const std::string& reason,
                    const std::string& message, const std::string& name,
                    const std::string& now) const;

  private:
    struct Seen {
        std::string ns;
        std::string name;
        int count = 0;
    };

    kube::KubeClient& client_;
    std::string component_;
    std::string instance_;
    std::mutex mu_;
    std::map<std::string, Seen> seen_;
    unsigned long long sequence_ = 0;
};

}  // namespace kop::runtime
