#pragma once
// Names of Kubernetes resources and the REST paths that address them. Pure values.

#include <string>

namespace kop::kube {

// A resource type as the REST API names it: group ("" for core), version, plural resource.
struct Gvr {
    std::string group;
    std::string version;
    std::string resource;
    bool namespaced = true;

    std::string group_version() const { return group.empty() ? version : group + "/" + version; }
    bool operator==(const Gvr&) const = default;
};

// Well-known resource types the runtime itself uses.
Gvr core_v1(const std::string& resource, bool namespaced = true);
Gvr events_v1();
Gvr leases_v1();
Gvr config_maps_v1();

// "/api/v1" or "/apis/<group>/<version>".
std::string api_prefix(const Gvr& gvr);

// The collection path (namespace empty = across all namespaces, or cluster-scoped).
std::string collection_path(const Gvr& gvr, const std::string& ns);

// The path of one object, optionally of a subresource ("status").
std::string object_path(const Gvr& gvr, const std::string& ns, const std::string& name,
                        const std::string& subresource = "");

// Percent-encodes a query parameter value.
std::string url_encode(const std::string& value);

}  // namespace kop::kube
