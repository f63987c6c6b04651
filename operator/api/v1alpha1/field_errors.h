#pragma once
// FieldError: one problem in a custom resource, named by its field path (e.g.
// "spec.listeners[1].port"). Decoding and validate() both return every problem they find, so a
// user sees all of them in one status message.

#include <string>
#include <vector>

namespace kop::api::v1alpha1 {

struct FieldError {
    std::string path;
    std::string message;
    bool operator==(const FieldError&) const = default;
};

using FieldErrors = std::vector<FieldError>;

// "spec.replicas: must be at least 1; spec.image: ..." — for a condition message.
std::string to_string(const FieldErrors& errors);

}  // namespace kop::api::v1alpha1
