#include "operator/runtime/informer.h"

#include "common/log.h"

namespace kop::runtime {

using kube::Errc;
using kube::WatchEventType;

Informer::Informer(kube::KubeClient& client, kube::Gvr gvr, std::string ns,
                   std::shared_ptr<Cache> cache, InformerOptions options)
    : client_(client),
      gvr_(std::move(gvr)),
      ns_(std::move(ns)),
      cache_(std::move(cache)),
      options_(std::move(options)) {}

Informer::~Informer() {
    stop();
}

void Informer::add_handler(InformerHandler handler) {
    handlers_.push_back(std::move(handler));
}

void Informer::start() {
    std::lock_guard lock(mu_);
    if (thread_.joinable() || stopping_) return;
    thread_ = std::thread([this] { run(); });
}

void Informer::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        if (current_ != nullptr) current_->cancel();
        cv_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
}

bool Informer::wait_synced() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return stopping_ || synced_.load(); });
    return synced_.load();
}

std::string Informer::resource_version() {
    std::lock_guard lock(mu_);
    return rv_;
}

void Informer::sleep_for(Duration d) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, d, [this] { return stopping_; });
}

void Informer::notify(EventKind kind, const Json& obj, const Json& previous) {
    for (const auto& h : handlers_) h(kind, obj, previous);
}

void Informer::run() {
    auto log = common::log::get("informer");
    int failures = 0;
    for (;;) {
        {
            std::lock_guard lock(mu_);
            if (stopping_) return;
        }
        common::Result<void> r = common::ok();
        if (resource_version().empty()) {
            r = relist();
        } else {
            r = watch_once();
        }
        if (r) {
            failures = 0;
            continue;
        }
        if (r.error() == Errc::Cancelled) continue;
        if (r.error() == Errc::Gone) {
            ++gone_;
            log->info("{} {}: resourceVersion expired, relisting", gvr_.resource, ns_);
            std::lock_guard lock(mu_);
            rv_.clear();
            continue;
        }
        auto delay = options_.backoff.delay(failures++);
        log->warn("{} {}: {} (retry in {} ms)", gvr_.resource, ns_, r.error().message(),
                  delay.count());
        sleep_for(delay);
    }
}

common::Result<void> Informer::relist() {
    std::vector<Json> items;
    kube::ListOptions opts;
    opts.label_selector = options_.label_selector;
    opts.limit = options_.list_page_size;
    std::string rv;
    do {
        TRIBUTARY_TRY(page, client_.list(gvr_, ns_, opts));
        for (auto& item : page["items"]) items.push_back(std::move(item));
        opts.continue_token = page["metadata"].value("continue", "");
        rv = page["metadata"].value("resourceVersion", "");
    } while (!opts.continue_token.empty());
    std::vector<Json> previous;
    for (const auto& item : items) {
        auto old = cache_->get(key_of(item));
        previous.push_back(old ? *old : Json());
    }
    auto removed = cache_->replace(ns_, items);
    ++relists_;
    for (const auto& obj : removed) notify(EventKind::Deleted, obj, obj);
    for (size_t i = 0; i < items.size(); ++i) {
        notify(previous[i].is_null() ? EventKind::Added : EventKind::Updated, items[i],
               previous[i]);
    }
    std::lock_guard lock(mu_);
    rv_ = rv;
    synced_ = true;
    cv_.notify_all();
    return common::ok();
}

common::Result<void> Informer::watch_once() {
    kube::ListOptions opts;
    opts.label_selector = options_.label_selector;
    opts.resource_version = resource_version();
    opts.allow_watch_bookmarks = true;
    opts.timeout_seconds = options_.watch_timeout_seconds;
    TRIBUTARY_TRY(stream, client_.watch(gvr_, ns_, opts));
    {
        std::lock_guard lock(mu_);
        if (stopping_) return make_error_code(Errc::Cancelled);
        current_ = stream.get();
    }
    common::Result<void> result = common::ok();
    for (;;) {
        auto event = stream->next();
        if (!event) {
            result = event.error();
            break;
        }
        if (!event.value()) break;  // the server ended the watch: re-watch from rv_
        apply(event.value()->type, event.value()->object);
    }
    std::lock_guard lock(mu_);
    current_ = nullptr;
    return result;
}

void Informer::apply(WatchEventType type, const Json& obj) {
    std::string rv = meta_string(obj, "resourceVersion");
    switch (type) {
        case WatchEventType::Bookmark:
            break;
        case WatchEventType::Added:
        case WatchEventType::Modified: {
            auto previous = cache_->upsert(obj);
            notify(previous ? EventKind::Updated : EventKind::Added, obj,
                   previous ? *previous : Json());
            break;
        }
        case WatchEventType::Deleted: {
            cache_->erase(key_of(obj));
            notify(EventKind::Deleted, obj, obj);
            break;
        }
    }
    if (!rv.empty()) {
        std::lock_guard lock(mu_);
        rv_ = rv;
    }
}

}  // namespace kop::runtime
