#pragma once
// Errors of the Kubernetes client: HTTP statuses mapped to the few cases callers act on.

#include <string>
#include <system_error>

namespace kop::kube {

enum class Errc {
    Ok = 0,
    NotFound,       // 404
    Conflict,       // 409 on update/patch: stale resourceVersion (normal; retry)
    AlreadyExists,  // 409 on create
    Gone,           // 410: resourceVersion too old (relist)
    Forbidden,      // 403 (and 401 Unauthorized)
    Invalid,        // 422 and 400: the object or request is rejected as invalid
    Transient,      // 429, 5xx, network and TLS failures, timeouts: retry with backoff
    BadConfig,      // kubeconfig / in-cluster config unusable
    Cancelled,      // the operation was cancelled locally (watch stopped, shutdown)
};

const std::error_category& kube_category() noexcept;

inline std::error_code make_error_code(Errc e) noexcept {
    return {static_cast<int>(e), kube_category()};
}

// Maps an HTTP status code (>= 400) to an Errc; `create` distinguishes AlreadyExists from Conflict.
Errc errc_from_http_status(int status, bool create);

}  // namespace kop::kube

template <>
struct std::is_error_code_enum<kop::kube::Errc> : std::true_type {};
