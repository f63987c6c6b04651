#pragma once
// FakeKubeClient: an in-memory KubeClient for unit tests of one component. It keeps the API's
// main semantics: resourceVersion conflicts, AlreadyExists, generation bumps on spec changes,
// status written only through update_status, finalizers delaying deletion, watches with history
// and Gone after compact(). Thread-safe. Not a substitute for the real apiserver in kube tests.

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <vector>

#include "operator/kube/kube_client.h"

namespace kop::kube {

class FakeKubeClient final : public KubeClient {
  public:
    struct Action {
        std::string verb;  // create, update, update_status, patch, delete
        std::string resource;
        std::string ns;
        std::string name;
    };

    Result<Json> get(const Gvr& gvr, const std::string& ns, const std::string& name) override;
    Result<Json> list(const Gvr& gvr, const std::string& ns, const ListOptions& opts) override;
    Result<Json> create(const Gvr& gvr, const std::string& ns, const Json& obj) override;
    Result<Json> update(const Gvr& gvr, const std::string& ns, const Json& obj) override;
    Result<Json> update_status(const Gvr& gvr, const std::string& ns, const Json& obj) override;
    Result<Json> patch(const Gvr& gvr, const std::string& ns, const std::string& name,
                       PatchType type, const Json& patch,
                       const std::string& subresource = "") override;
    Result<void> remove(const Gvr& gvr, const std::string& ns, const std::string& name,
                        const DeleteOptions& opts = {}) override;
    Result<std::unique_ptr<WatchStream>> watch(const Gvr& gvr, const std::string& ns,
                                               const ListOptions& opts) override;
    Result<std::vector<ApiResource>> server_resources(const std::string& group_version) override;

    // Test controls.
    void serve(const std::string& group_version, std::vector<ApiResource> resources);
    // Forgets watch history: open watches and watches from older versions get Gone.
    void compact();
    std::vector<Action> actions() const;
    void clear_actions();
    void fail_next(const std::string& verb, Errc errc);  // inject one failure

    struct Event {
        uint64_t rv;
        std::string resource;
        std::string ns;
        WatchEvent event;
    };

  private:
    using Key = std::pair<std::string, std::string>;  // namespace, name
    Result<void> injected(const std::string& verb);
    Json store(const Gvr& gvr, const std::string& ns, Json obj, WatchEventType type);
    Result<Json> write(const std::string& verb, const Gvr& gvr, const std::string& ns,
                       const Json& obj, bool status_only);

    mutable std::mutex mu_;
    std::condition_variable changed_;
    uint64_t rv_ = 1;
    uint64_t compacted_rv_ = 0;
    uint64_t compactions_ = 0;
    std::map<std::string, std::map<Key, Json>> objects_;  // by resource path prefix
    std::deque<Event> history_;
    std::vector<Action> actions_;
    std::map<std::string, std::vector<ApiResource>> discovery_;
    std::map<std::string, Errc> failures_;
    friend class FakeWatchStream;
};

// Whether `labels` (a metadata.labels object) matches "k=v,k2=v2" (equality only).
bool labels_match(const Json& labels, const std::string& selector);

}  // namespace kop::kube
