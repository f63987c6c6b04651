#pragma once
// ownerReferences: building one from an owner object, setting it on an owned object, finding
// an object's controlling owner. Pure functions on JSON.

#include <optional>
#include <string>

#include "operator/runtime/object_key.h"

namespace kop::runtime {

struct OwnerRef {
    std::string api_version;
    std::string kind;
    std::string name;
    std::string uid;
    bool controller = true;
    bool block_owner_deletion = true;

    std::string group() const;  // "" for core ("v1")
    Json to_json() const;
};

// The reference to `owner` (which must carry apiVersion, kind, metadata.name and .uid).
OwnerRef owner_ref_of(const Json& owner, bool controller = true);

// Adds or replaces (same uid) the reference in obj.metadata.ownerReferences.
void set_owner(Json& obj, const OwnerRef& ref);

// The ownerReference with controller=true, if any.
std::optional<OwnerRef> controller_owner(const Json& obj);

}  // namespace kop::runtime
