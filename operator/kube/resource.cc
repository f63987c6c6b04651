#include "operator/kube/resource.h"

#include <cctype>

namespace kop::kube {

Gvr core_v1(const std::string& resource, bool namespaced) {
    return Gvr{"", "v1", resource, namespaced};
}
Gvr events_v1() {
    return core_v1("events");
}
Gvr leases_v1() {
    return Gvr{"coordination.k8s.io", "v1", "leases", true};
}
Gvr config_maps_v1() {
    return core_v1("configmaps");
}

std::string api_prefix(const Gvr& gvr) {
    return gvr.group.empty() ? "/api/" + gvr.version : "/apis/" + gvr.group + "/" + gvr.version;
}

std::string collection_path(const Gvr& gvr, const std::string& ns) {
    std::string path = api_prefix(gvr);
    if (gvr.namespaced && !ns.empty()) path += "/namespaces/" + ns;
    return path + "/" + gvr.resource;
}

std::string object_path(const Gvr& gvr, const std::string& ns, const std::string& name,
                        const std::string& subresource) {
    std::string path = collection_path(gvr, ns) + "/" + name;
    if (!subresource.empty()) path += "/" + subresource;
    return path;
}

std::string url_encode(const std::string& value) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : value) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

}  // namespace kop::kube
