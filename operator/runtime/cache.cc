#include "operator/runtime/cache.h"

#include <mutex>

namespace kop::runtime {
namespace {

std::vector<std::string> owner_uids(const Json& obj) {
    std::vector<std::string> out;
    if (!obj.contains("metadata")) return out;
    auto refs = obj["metadata"].find("ownerReferences");
    if (refs == obj["metadata"].end() || !refs->is_array()) return out;
    for (const auto& ref : *refs) {
        if (ref.is_object() && ref.contains("uid") && ref["uid"].is_string()) {
            out.push_back(ref["uid"].get<std::string>());
        }
    }
    return out;
}

}  // namespace

void Cache::index_locked(const std::string& key, const Json& obj) {
    for (const auto& uid : owner_uids(obj)) by_owner_[uid].insert(key);
}

void Cache::unindex_locked(const std::string& key, const Json& obj) {
    for (const auto& uid : owner_uids(obj)) {
        auto it = by_owner_.find(uid);
        if (it == by_owner_.end()) continue;
        it->second.erase(key);
        if (it->second.empty()) by_owner_.erase(it);
    }
}

std::optional<Json> Cache::upsert(const Json& obj) {
    std::unique_lock lock(mu_);
    std::string key = key_of(obj).str();
    std::optional<Json> previous;
    auto it = objects_.find(key);
    if (it != objects_.end()) {
        previous = it->second;
        unindex_locked(key, it->second);
    }
    objects_[key] = obj;
    index_locked(key, obj);
    return previous;
}

std::optional<Json> Cache::erase(const ObjectKey& key) {
    std::unique_lock lock(mu_);
    auto it = objects_.find(key.str());
    if (it == objects_.end()) return std::nullopt;
    Json previous = std::move(it->second);
    unindex_locked(key.str(), previous);
    objects_.erase(it);
    return previous;
}

std::vector<Json> Cache::replace(const std::string& ns, const std::vector<Json>& items) {
    std::unique_lock lock(mu_);
    std::set<std::string> fresh;
    for (const auto& obj : items) fresh.insert(key_of(obj).str());
    std::vector<Json> removed;
    for (auto it = objects_.begin(); it != objects_.end();) {
        bool in_scope = ns.empty() || meta_string(it->second, "namespace") == ns;
        if (in_scope && !fresh.count(it->first)) {
            unindex_locked(it->first, it->second);
            removed.push_back(std::move(it->second));
            it = objects_.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& obj : items) {
        std::string key = key_of(obj).str();
        auto it = objects_.find(key);
        if (it != objects_.end()) unindex_locked(key, it->second);
        objects_[key] = obj;
        index_locked(key, obj);
    }
    return removed;
}

std::optional<Json> Cache::get(const ObjectKey& key) const {
    std::shared_lock lock(mu_);
    auto it = objects_.find(key.str());
    if (it == objects_.end()) return std::nullopt;
    return it->second;
}

std::vector<Json> Cache::list(const std::string& ns) const {
    std::shared_lock lock(mu_);
    std::vector<Json> out;
    for (const auto& [key, obj] : objects_) {
        if (ns.empty() || meta_string(obj, "namespace") == ns) out.push_back(obj);
    }
    return out;
}

std::vector<Json> Cache::by_owner(const std::string& owner_uid) const {
    std::shared_lock lock(mu_);
    std::vector<Json> out;
    auto it = by_owner_.find(owner_uid);
    if (it == by_owner_.end()) return out;
    for (const auto& key : it->second) out.push_back(objects_.at(key));
    return out;
}

size_t Cache::size() const {
    std::shared_lock lock(mu_);
    return objects_.size();
}

}  // namespace kop::runtime
