#include "operator/runtime/finalizers.h"

namespace kop::runtime {
namespace {

common::Result<Json> write_finalizers(kube::KubeClient& client, const kube::Gvr& gvr,
                                      const Json& obj) {
    Json patch = {{"metadata",
                   {{"finalizers", obj["metadata"]["finalizers"]},
                    {"resourceVersion", meta_string(obj, "resourceVersion")}}}};
    return client.patch(gvr, meta_string(obj, "namespace"), meta_string(obj, "name"),
                        kube::PatchType::Merge, patch);
}

}  // namespace

bool has_finalizer(const Json& obj, const std::string& finalizer) {
    if (!obj.contains("metadata")) return false;
    auto list = obj["metadata"].find("finalizers");
    if (list == obj["metadata"].end() || !list->is_array()) return false;
    for (const auto& f : *list) {
        if (f.is_string() && f.get<std::string>() == finalizer) return true;
    }
    return false;
}

bool add_finalizer(Json& obj, const std::string& finalizer) {
    if (has_finalizer(obj, finalizer)) return false;
    Json& list = obj["metadata"]["finalizers"];
    if (!list.is_array()) list = Json::array();
    list.push_back(finalizer);
    return true;
}

bool remove_finalizer(Json& obj, const std::string& finalizer) {
    if (!has_finalizer(obj, finalizer)) return false;
    Json kept = Json::array();
    for (const auto& f : obj["metadata"]["finalizers"]) {
        if (!(f.is_string() && f.get<std::string>() == finalizer)) kept.push_back(f);
    }
    obj["metadata"]["finalizers"] = kept;
    return true;
}

common::Result<Json> ensure_finalizer(kube::KubeClient& client, const kube::Gvr& gvr,
                                      const Json& obj, const std::string& finalizer) {
    Json copy = obj;
    if (!add_finalizer(copy, finalizer)) return copy;
    return write_finalizers(client, gvr, copy);
}

common::Result<Json> release_finalizer(kube::KubeClient& client, const kube::Gvr& gvr,
                                       const Json& obj, const std::string& finalizer) {
    Json copy = obj;
    if (!remove_finalizer(copy, finalizer)) return copy;
    return write_finalizers(client, gvr, copy);
}

}  // namespace kop::runtime
