#include "operator/kube/kube_client.h"

namespace kop::kube {

Result<bool> serves(KubeClient& client, const std::string& group_version,
                    const std::string& resource) {
    auto resources = client.server_resources(group_version);
    if (!resources) {
        if (resources.error() == Errc::NotFound) return false;
        return resources.error();
    }
    for (const auto& r : resources.value()) {
        if (r.name == resource) return true;
    }
    return false;
}

}  // namespace kop::kube
