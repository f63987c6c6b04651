#include "operator/runtime/applier.h"

#include "operator/runtime/owner.h"

namespace kop::runtime {

bool is_subset(const Json& desired, const Json& live) {
    if (desired.is_object()) {
        if (!live.is_object()) return false;
        for (auto it = desired.begin(); it != desired.end(); ++it) {
            auto other = live.find(it.key());
            if (other == live.end()) {
                if (it.value().is_null()) continue;
                return false;
            }
            if (!is_subset(it.value(), *other)) return false;
        }
        return true;
    }
    if (desired.is_array()) {
        if (!live.is_array() || live.size() != desired.size()) return false;
        for (size_t i = 0; i < desired.size(); ++i) {
            if (!is_subset(desired[i], live[i])) return false;
        }
        return true;
    }
    return desired == live;
}

common::Result<ApplyResult> Applier::apply(const kube::Gvr& gvr, Json desired, const Json* owner,
                                           const Json* live) {
    if (owner != nullptr) set_owner(desired, owner_ref_of(*owner));
    ObjectKey key = key_of(desired);
    Json fetched;
    if (live == nullptr) {
        auto got = client_.get(gvr, key.ns, key.name);
        if (got) {
            fetched = std::move(got.value());
            live = &fetched;
        } else if (got.error() != kube::Errc::NotFound) {
            return got.error();
        }
    }
    if (live == nullptr) {
        TRIBUTARY_TRY(created, client_.create(gvr, key.ns, desired));
        return ApplyResult{ApplyAction::Created, created};
    }
    if (owner != nullptr && live->contains("metadata") &&
        (*live)["metadata"].contains("ownerReferences")) {
        // Keep owners other tools added; ours is replaced in place by uid.
        Json refs = (*live)["metadata"]["ownerReferences"];
        Json merged = desired;
        merged["metadata"]["ownerReferences"] = refs;
        set_owner(merged, owner_ref_of(*owner));
        desired = merged;
    }
    if (is_subset(desired, *live)) return ApplyResult{ApplyAction::Unchanged, *live};
    TRIBUTARY_TRY(patched, client_.patch(gvr, key.ns, key.name, kube::PatchType::Merge, desired));
    return ApplyResult{ApplyAction::Patched, patched};
}

}  // namespace kop::runtime
