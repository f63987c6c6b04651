#include "operator/kube/errc.h"

namespace kop::kube {
namespace {

class KubeCategory final : public std::error_category {
  public:
    const char* name() const noexcept override { return "kube"; }
    std::string message(int code) const override {
        switch (static_cast<Errc>(code)) {
            case Errc::Ok:
                return "ok";
            case Errc::NotFound:
                return "not found";
            case Errc::Conflict:
                return "conflict (stale resourceVersion)";
            case Errc::AlreadyExists:
                return "already exists";
            case Errc::Gone:
                return "gone (resourceVersion too old)";
            case Errc::Forbidden:
                return "forbidden";
            case Errc::Invalid:
                return "invalid";
            case Errc::Transient:
                return "transient failure";
            case Errc::BadConfig:
                return "bad client configuration";
            case Errc::Cancelled:
                return "cancelled";
        }
        return "unknown kube error " + std::to_string(code);
    }
};

}  // namespace

const std::error_category& kube_category() noexcept {
    static const KubeCategory category;
    return category;
}

Errc errc_from_http_status(int status, bool create) {
    switch (status) {
        case 400:
            return Errc::Invalid;
        case 401:
            return Errc::Forbidden;
        case 403:
            return Errc::Forbidden;
        case 404:
            return Errc::NotFound;
        case 409:
            return create ? Errc::AlreadyExists : Errc::Conflict;
        case 410:
            return Errc::Gone;
        case 422:
            return Errc::Invalid;
        default:
            return Errc::Transient;
    }
}

}  // namespace kop::kube
