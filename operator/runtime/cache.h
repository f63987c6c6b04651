#pragma once
// Cache: the informers' local copy of one resource type, indexed by namespace/name and by owner
// UID. Written by informer threads, read by reconcilers; thread-safe (shared mutex). Returned
// objects are copies.

#include <map>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include "operator/runtime/object_key.h"

namespace kop::runtime {

class Cache {
  public:
    // Returns the previous object, if any.
    std::optional<Json> upsert(const Json& obj);
    std::optional<Json> erase(const ObjectKey& key);
    // Replaces every object within `ns` ("" = all) by `items`; returns the objects removed.
    std::vector<Json> replace(const std::string& ns, const std::vector<Json>& items);

    std::optional<Json> get(const ObjectKey& key) const;
    std::vector<Json> list(const std::string& ns = "") const;
    // Objects carrying an ownerReference with this UID.
    std::vector<Json> by_owner(const std::string& owner_uid) const;
    size_t size() const;

  private:
    void index_locked(const std::string& key, const Json& obj);
    void unindex_locked(const std::string& key, const Json& obj);

    mutable std::shared_mutex mu_;
    std::map<std::string, Json> objects_;
    std::map<std::string, std::set<std::string>> by_owner_;
};

}  // namespace kop::runtime
