#pragma once
// Applier: makes the cluster hold what the operator wants for one object. Creates it when
// missing; when present, compares only the fields the operator sets (the desired object must be
// a subset of the live one) and sends a JSON merge patch of the desired fields when something
// differs; otherwise makes no request at all. Sets the ownerReference to the owner, so deletion
// cascades. Stateless apart from the client; thread-safe when the client is.
//
// Desired objects should name every field they care about and never use server-side-only forms
// (Secrets: `data`, not `stringData`; quantities in canonical form, e.g. "1Gi").

#include <string>

#include "common/result.h"
#include "operator/kube/kube_client.h"
#include "operator/runtime/object_key.h"

namespace kop::runtime {

enum class ApplyAction { Created, Patched, Unchanged };

struct ApplyResult {
    ApplyAction action = ApplyAction::Unchanged;
    Json object;  // the object as the server holds it now
};

// Whether every field set in `desired` has the same value in `live` (objects recursively;
// arrays element by element with equal length).
bool is_subset(const Json& desired, const Json& live);

class Applier {
  public:
    explicit Applier(kube::KubeClient& client) : client_(client) {}

    // `owner` may be null (no ownerReference); `live` may be null (then it is fetched).
    common::Result<ApplyResult> apply(const kube::Gvr& gvr, Json desired, const Json* owner,
                                      const Json* live = nullptr);

  private:
    kube::KubeClient& client_;
};

}  // namespace kop::runtime
