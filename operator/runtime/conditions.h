#pragma once
// Status conditions per the Kubernetes API conventions: type, status ("True"/"False"/"Unknown"),
// observedGeneration, lastTransitionTime (changes only when status changes), reason, message.
// Pure functions on a status.conditions array.

#include <optional>
#include <string>

#include "operator/runtime/object_key.h"

namespace kop::runtime {

struct Condition {
    std::string type;    // Ready, Reconciling, Degraded
    std::string status;  // "True", "False", "Unknown"
    std::string reason;  // PascalCase
    std::string message;
    long long observed_generation = 0;
};

// Sets `c` in `conditions` (an array, created when null). `now` is an RFC 3339 time used as
// lastTransitionTime only when the type is new or its status changes. Returns whether anything
// changed.
bool set_condition(Json& conditions, const Condition& c, const std::string& now);

// The condition of this type, or nullptr.
const Json* find_condition(const Json& conditions, const std::string& type);

bool condition_is_true(const Json& conditions, const std::string& type);

// Current UTC time as RFC 3339 with seconds ("2024-05-01T12:00:00Z") and with microseconds
// (metav1.MicroTime, used by Leases and events.k8s.io).
std::string now_rfc3339();
std::string now_rfc3339_micro();

}  // namespace kop::runtime
