#include "operator/runtime/owner.h"

namespace kop::runtime {

std::string OwnerRef::group() const {
    size_t slash = api_version.find('/');
    return slash == std::string::npos ? "" : api_version.substr(0, slash);
}

Json OwnerRef::to_json() const {
    return Json{{"apiVersion", api_version},
                {"kind", kind},
                {"name", name},
                {"uid", uid},
                {"controller", controller},
                {"blockOwnerDeletion", block_owner_deletion}};
}

OwnerRef owner_ref_of(const Json& owner, bool controller) {
    OwnerRef ref;
    ref.api_version = owner.value("apiVersion", "");
    ref.kind = owner.value("kind", "");
    ref.name = meta_string(owner, "name");
    ref.uid = meta_string(owner, "uid");
    ref.controller = controller;
    return ref;
}

void set_owner(Json& obj, const OwnerRef& ref) {
    Json& refs = obj["metadata"]["ownerReferences"];
    if (!refs.is_array()) refs = Json::array();
    for (auto& existing : refs) {
        if (existing.is_object() && existing.value("uid", "") == ref.uid) {
            existing = ref.to_json();
            return;
        }
    }
    refs.push_back(ref.to_json());
}

std::optional<OwnerRef> controller_owner(const Json& obj) {
    if (!obj.is_object() || !obj.contains("metadata")) return std::nullopt;
    auto refs = obj["metadata"].find("ownerReferences");
    if (refs == obj["metadata"].end() || !refs->is_array()) return std::nullopt;
    for (const auto& r : *refs) {
        if (!r.is_object() || !r.value("controller", false)) continue;
        OwnerRef ref;
        ref.api_version = r.value("apiVersion", "");
        ref.kind = r.value("kind", "");
        ref.name = r.value("name", "");
        ref.uid = r.value("uid", "");
        ref.block_owner_deletion = r.value("blockOwnerDeletion", false);
        return ref;
    }
    return std::nullopt;
}

}  // namespace kop::runtime
