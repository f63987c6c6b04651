#pragma once
// KubeClient: the operator's only way to talk to the Kubernetes API. Objects are nlohmann::json
// exactly as the API serves them. Implementations: HttpKubeClient (real), FakeKubeClient (tests).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "operator/kube/errc.h"
#include "operator/kube/resource.h"

namespace kop::kube {

using Json = nlohmann::json;
using common::Result;

struct ListOptions {
    std::string label_selector;
    std::string field_selector;
    std::string resource_version;  // list: "" = most recent; watch: start after this version
    int limit = 0;                 // list pagination; 0 = no limit
    std::string continue_token;
    bool allow_watch_bookmarks = true;  // watch only
    int timeout_seconds = 0;            // watch only: server ends the watch after this
};

enum class PatchType {
    Merge,           // application/merge-patch+json (RFC 7386)
    JsonPatch,       // application/json-patch+json (RFC 6902)
    StrategicMerge,  // application/strategic-merge-patch+json (built-in kinds only)
};

struct DeleteOptions {
    std::string propagation_policy = "Background";  // Foreground, Background, Orphan
    std::string precondition_resource_version;
    std::string precondition_uid;
};

enum class WatchEventType { Added, Modified, Deleted, Bookmark };

struct WatchEvent {
    WatchEventType type = WatchEventType::Added;
    Json object;
};

// One open watch. next() blocks until an event, the end of the stream (nullopt) or an error
// (Gone when the server says the resourceVersion is too old). Owned by the one thread reading
// it; cancel() may be called from any thread and makes a blocked next() return Cancelled.
class WatchStream {
  public:
    virtual ~WatchStream() = default;
    virtual Result<std::optional<WatchEvent>> next() = 0;
    virtual void cancel() = 0;
};

// One entry of API discovery: a resource served under a group version.
struct ApiResource {
    std::string name;  // plural, e.g. "poddisruptionbudgets"; subresources as "pods/status"
    std::string kind;
    bool namespaced = true;
};

// Thread-safe: any number of threads may call any method at once.
class KubeClient {
  public:
    virtual ~KubeClient() = default;

    virtual Result<Json> get(const Gvr& gvr, const std::string& ns, const std::string& name) = 0;
    // Returns the List object ({"metadata": {"resourceVersion", "continue"}, "items": [...]}).
    virtual Result<Json> list(const Gvr& gvr, const std::string& ns, const ListOptions& opts) = 0;
    virtual Result<Json> create(const Gvr& gvr, const std::string& ns, const Json& obj) = 0;
    // PUT with the object's metadata.resourceVersion: Conflict when it is stale.
    virtual Result<Json> update(const Gvr& gvr, const std::string& ns, const Json& obj) = 0;
    // PUT to the status subresource.
    virtual Result<Json> update_status(const Gvr& gvr, const std::string& ns, const Json& obj) = 0;
    virtual Result<Json> patch(const Gvr& gvr, const std::string& ns, const std::string& name,
                               PatchType type, const Json& patch,
                               const std::string& subresource = "") = 0;
    virtual Result<void> remove(const Gvr& gvr, const std::string& ns, const std::string& name,
                                const DeleteOptions& opts = {}) = 0;
    virtual Result<std::unique_ptr<WatchStream>> watch(const Gvr& gvr, const std::string& ns,
                                                       const ListOptions& opts) = 0;
    // Discovery: the resources served under a group version; NotFound when it is not served.
    virtual Result<std::vector<ApiResource>> server_resources(const std::string& group_version) = 0;
};

// Whether `group_version` serves `resource` (e.g. "policy/v1", "poddisruptionbudgets").
Result<bool> serves(KubeClient& client, const std::string& group_version,
                    const std::string& resource);

}  // namespace kop::kube
