#pragma once
// Finalizers: pure edits of metadata.finalizers, and helpers that write them with optimistic
// concurrency (the object's resourceVersion; a Conflict means "reconcile again").

#include <string>

#include "common/result.h"
#include "operator/kube/kube_client.h"
#include "operator/runtime/object_key.h"

namespace kop::runtime {

bool has_finalizer(const Json& obj, const std::string& finalizer);
bool add_finalizer(Json& obj, const std::string& finalizer);     // false when already present
bool remove_finalizer(Json& obj, const std::string& finalizer);  // false when absent

// Writes the finalizer list change (JSON merge patch carrying resourceVersion). Returns the
// updated object; no request when nothing changes.
common::Result<Json> ensure_finalizer(kube::KubeClient& client, const kube::Gvr& gvr,
                                      const Json& obj, const std::string& finalizer);
common::Result<Json> release_finalizer(kube::KubeClient& client, const kube::Gvr& gvr,
                                       const Json& obj, const std::string& finalizer);

}  // namespace kop::runtime
