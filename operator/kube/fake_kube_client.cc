#include "operator/kube/fake_kube_client.h"

#include <atomic>
#include <sstream>

namespace kop::kube {
namespace {

std::string type_key(const Gvr& gvr) {
    return gvr.group_version() + "/" + gvr.resource;
}

Json spec_part(const Json& obj) {
    Json copy = obj;
    copy.erase("metadata");
    copy.erase("status");
    return copy;
}

}  // namespace

bool labels_match(const Json& labels, const std::string& selector) {
    std::istringstream in(selector);
    std::string term;
    while (std::getline(in, term, ',')) {
        size_t eq = term.find('=');
        if (eq == std::string::npos) continue;
        std::string key = term.substr(0, eq);
        std::string value = term.substr(term[eq + 1] == '=' ? eq + 2 : eq + 1);
        if (!labels.is_object() || labels.value(key, "\x01") != value) return false;
    }
    return true;
}

// Reads the fake's history from a resourceVersion on; owned by the test thread reading it.
class FakeWatchStream final : public WatchStream {
  public:
    FakeWatchStream(FakeKubeClient& fake, std::string type, std::string ns, uint64_t after)
        : fake_(fake),
          type_(std::move(type)),
          ns_(std::move(ns)),
          after_(after),
          epoch_(fake.compactions_) {}

    Result<std::optional<WatchEvent>> next() override {
        std::unique_lock lock(fake_.mu_);
        for (;;) {
            if (cancelled_) return make_error_code(Errc::Cancelled);
            if (after_ < fake_.compacted_rv_ || epoch_ != fake_.compactions_) {
                return make_error_code(Errc::Gone);
            }
            for (const auto& e : fake_.history_) {
                if (e.rv <= after_ || e.resource != type_) continue;
                if (!ns_.empty() && e.ns != ns_) continue;
                after_ = e.rv;
                return std::optional<WatchEvent>(e.event);
            }
            fake_.changed_.wait(lock);
        }
    }

    void cancel() override {
        std::lock_guard lock(fake_.mu_);
        cancelled_ = true;
        fake_.changed_.notify_all();
    }

  private:
    FakeKubeClient& fake_;
    std::string type_;
    std::string ns_;
    uint64_t after_;
    uint64_t epoch_;
    bool cancelled_ = false;
};

Result<void> FakeKubeClient::injected(const std::string& verb) {
    auto it = failures_.find(verb);
    if (it == failures_.end()) return common::ok();
    Errc e = it->second;
    failures_.erase(it);
    return make_error_code(e);
}

Json FakeKubeClient::store(const Gvr& gvr, const std::string& ns, Json obj, WatchEventType type) {
    uint64_t rv = ++rv_;
    obj["metadata"]["resourceVersion"] = std::to_string(rv);
    std::string name = obj["metadata"].value("name", "");
    auto& bucket = objects_[type_key(gvr)];
    if (type == WatchEventType::Deleted) {
        bucket.erase({ns, name});
    } else {
        bucket[{ns, name}] = obj;
    }
    history_.push_back(Event{rv, type_key(gvr), ns, WatchEvent{type, obj}});
    changed_.notify_all();
    return obj;
}

Result<Json> FakeKubeClient::get(const Gvr& gvr, const std::string& ns, const std::string& name) {
    std::lock_guard lock(mu_);
    auto& bucket = objects_[type_key(gvr)];
    auto it = bucket.find({ns, name});
    if (it == bucket.end()) return make_error_code(Errc::NotFound);
    return it->second;
}

Result<Json> FakeKubeClient::list(const Gvr& gvr, const std::string& ns, const ListOptions& opts) {
    std::lock_guard lock(mu_);
    TRIBUTARY_TRY(injected("list"));
    Json items = Json::array();
    for (const auto& [key, obj] : objects_[type_key(gvr)]) {
        if (!ns.empty() && key.first != ns) continue;
        if (!labels_match(obj["metadata"].value("labels", Json::object()), opts.label_selector)) {
            continue;
        }
        items.push_back(obj);
    }
    return Json{{"metadata", {{"resourceVersion", std::to_string(rv_)}}}, {"items", items}};
}

Result<Json> FakeKubeClient::create(const Gvr& gvr, const std::string& ns, const Json& obj) {
    std::lock_guard lock(mu_);
    std::string name = obj.contains("metadata") ? obj["metadata"].value("name", "") : "";
    actions_.push_back({"create", gvr.resource, ns, name});
    TRIBUTARY_TRY(injected("create"));
    if (name.empty()) return make_error_code(Errc::Invalid);
    if (objects_[type_key(gvr)].count({ns, name})) return make_error_code(Errc::AlreadyExists);
    static std::atomic<uint64_t> uid{1};
    Json copy = obj;
    if (gvr.namespaced) copy["metadata"]["namespace"] = ns;
    copy["metadata"]["uid"] = "uid-" + std::to_string(uid++);
    copy["metadata"]["generation"] = 1;
    copy["metadata"]["creationTimestamp"] = "2024-01-01T00:00:00Z";
    return store(gvr, ns, copy, WatchEventType::Added);
}

Result<Json> FakeKubeClient::write(const std::string& verb, const Gvr& gvr, const std::string& ns,
                                   const Json& obj, bool status_only) {
    std::string name = obj["metadata"].value("name", "");
    actions_.push_back({verb, gvr.resource, ns, name});
    TRIBUTARY_TRY(injected(verb));
    auto& bucket = objects_[type_key(gvr)];
    auto it = bucket.find({ns, name});
    if (it == bucket.end()) return make_error_code(Errc::NotFound);
    const Json& live = it->second;
    std::string rv = obj["metadata"].value("resourceVersion", "");
    if (!rv.empty() && rv != live["metadata"].value("resourceVersion", "")) {
        return make_error_code(Errc::Conflict);
    }
    Json next = live;
    if (status_only) {
        if (obj.contains("status")) next["status"] = obj["status"];
    } else {
        Json status = live.value("status", Json());
        next = obj;
        next["metadata"]["uid"] = live["metadata"]["uid"];
        next["metadata"]["creationTimestamp"] = live["metadata"]["creationTimestamp"];
        next["metadata"]["generation"] = live["metadata"].value("generation", 1);
        if (live["metadata"].contains("deletionTimestamp")) {
            next["metadata"]["deletionTimestamp"] = live["metadata"]["deletionTimestamp"];
        }
        if (status.is_null())
            next.erase("status");
        else
            next["status"] = status;
        if (spec_part(next) != spec_part(live)) {
            next["metadata"]["generation"] = live["metadata"].value("generation", 1) + 1;
        }
    }
    if (next == live) return live;
    bool finalized = next["metadata"].contains("deletionTimestamp") &&
                     next["metadata"].value("finalizers", Json::array()).empty();
    return store(gvr, ns, next, finalized ? WatchEventType::Deleted : WatchEventType::Modified);
}

Result<Json> FakeKubeClient::update(const Gvr& gvr, const std::string& ns, const Json& obj) {
    std::lock_guard lock(mu_);
    return write("update", gvr, ns, obj, false);
}

Result<Json> FakeKubeClient::update_status(const Gvr& gvr, const std::string& ns, const Json& obj) {
    std::lock_guard lock(mu_);
    return write("update_status", gvr, ns, obj, true);
}

Result<Json> FakeKubeClient::patch(const Gvr& gvr, const std::string& ns, const std::string& name,
                                   PatchType type, const Json& patch,
                                   const std::string& subresource) {
    std::lock_guard lock(mu_);
    auto& bucket = objects_[type_key(gvr)];
    auto it = bucket.find({ns, name});
    if (it == bucket.end()) {
        actions_.push_back({"patch", gvr.resource, ns, name});
        return make_error_code(Errc::NotFound);
    }
    Json next = it->second;
    if (type == PatchType::JsonPatch) {
        try {
            next = next.patch(patch);
        } catch (const std::exception&) {
            return make_error_code(Errc::Invalid);
        }
    } else {
        next.merge_patch(patch);
    }
    return write("patch", gvr, ns, next, subresource == "status");
}

Result<void> FakeKubeClient::remove(const Gvr& gvr, const std::string& ns, const std::string& name,
                                    const DeleteOptions& opts) {
    std::lock_guard lock(mu_);
    actions_.push_back({"delete", gvr.resource, ns, name});
    TRIBUTARY_TRY(injected("delete"));
    auto& bucket = objects_[type_key(gvr)];
    auto it = bucket.find({ns, name});
    if (it == bucket.end()) return make_error_code(Errc::NotFound);
    Json obj = it->second;
    if (!opts.precondition_resource_version.empty() &&
        opts.precondition_resource_version != obj["metadata"].value("resourceVersion", "")) {
        return make_error_code(Errc::Conflict);
    }
    if (!obj["metadata"].value("finalizers", Json::array()).empty()) {
        if (!obj["metadata"].contains("deletionTimestamp")) {
            obj["metadata"]["deletionTimestamp"] = "2024-01-01T00:00:00Z";
            store(gvr, ns, obj, WatchEventType::Modified);
        }
        return common::ok();
    }
    store(gvr, ns, obj, WatchEventType::Deleted);
    return common::ok();
}

Result<std::unique_ptr<WatchStream>> FakeKubeClient::watch(const Gvr& gvr, const std::string& ns,
                                                           const ListOptions& opts) {
    std::lock_guard lock(mu_);
    TRIBUTARY_TRY(injected("watch"));
    uint64_t after = opts.resource_version.empty() ? rv_ : std::stoull(opts.resource_version);
    if (after < compacted_rv_) return make_error_code(Errc::Gone);
    return std::unique_ptr<WatchStream>(new FakeWatchStream(*this, type_key(gvr), ns, after));
}

Result<std::vector<ApiResource>> FakeKubeClient::server_resources(const std::string& gv) {
    std::lock_guard lock(mu_);
    auto it = discovery_.find(gv);
    if (it == discovery_.end()) return make_error_code(Errc::NotFound);
    return it->second;
}

void FakeKubeClient::serve(const std::string& gv, std::vector<ApiResource> resources) {
    std::lock_guard lock(mu_);
    discovery_[gv] = std::move(resources);
}

void FakeKubeClient::compact() {
    std::lock_guard lock(mu_);
    compacted_rv_ = rv_;
    ++compactions_;
    history_.clear();
    changed_.notify_all();
}

std::vector<FakeKubeClient::Action> FakeKubeClient::actions() const {
    std::lock_guard lock(mu_);
    return actions_;
}

void FakeKubeClient::clear_actions() {
    std::lock_guard lock(mu_);
    actions_.clear();
}

void FakeKubeClient::fail_next(const std::string& verb, Errc errc) {
    std::lock_guard lock(mu_);
    failures_[verb] = errc;
}

}  // namespace kop::kube
