#pragma once
// Informer: keeps a Cache of one resource type in one namespace ("" = all) up to date by
// list + watch. Watches from the list's resourceVersion with bookmarks, re-watches from the last
// seen version when the server ends a watch, relists on 410 Gone, and reconnects with backoff on
// errors. Owns one thread (start() .. stop()); handlers run on that thread and must be quick
// (enqueue a key). The KubeClient and Cache outlive the informer.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "operator/kube/kube_client.h"
#include "operator/runtime/backoff.h"
#include "operator/runtime/cache.h"

namespace kop::runtime {

enum class EventKind { Added, Updated, Deleted };

// (kind, object, previous object or null)
using InformerHandler = std::function<void(EventKind, const Json&, const Json&)>;

struct InformerOptions {
    std::string label_selector;
    int list_page_size = 500;
    int watch_timeout_seconds = 300;
    Backoff backoff{std::chrono::milliseconds(200), std::chrono::seconds(30), 2.0};
};

class Informer {
  public:
    Informer(kube::KubeClient& client, kube::Gvr gvr, std::string ns, std::shared_ptr<Cache> cache,
             InformerOptions options = {});
    ~Informer();
    Informer(const Informer&) = delete;
    Informer& operator=(const Informer&) = delete;

    void add_handler(InformerHandler handler);  // before start()
    void start();
    void stop();  // cancels the watch and joins; idempotent

    bool synced() const { return synced_.load(); }
    // Waits until the first list completed, or stop; false when stopped first.
    bool wait_synced();

    const kube::Gvr& gvr() const { return gvr_; }
    const std::string& ns() const { return ns_; }
    Cache& cache() { return *cache_; }
    // Counters for tests and metrics.
    int relists() const { return relists_.load(); }
    int gone_count() const { return gone_.load(); }
    std::string resource_version();

  private:
    void run();
    common::Result<void> relist();
    common::Result<void> watch_once();
    void apply(kube::WatchEventType type, const Json& obj);
    void notify(EventKind kind, const Json& obj, const Json& previous);
    void sleep_for(Duration d);

    kube::KubeClient& client_;
    kube::Gvr gvr_;
    std::string ns_;
    std::shared_ptr<Cache> cache_;
    InformerOptions options_;
    std::vector<InformerHandler> handlers_;

    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    kube::WatchStream* current_ = nullptr;
    std::string rv_;
    std::thread thread_;
    std::atomic<bool> synced_{false};
    std::atomic<int> relists_{0};
    std::atomic<int> gone_{0};
};

}  // namespace kop::runtime
