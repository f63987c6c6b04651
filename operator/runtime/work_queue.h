#pragma once
// WorkQueue: the controller's queue of object keys ("namespace/name"). De-duplicating (a key
// waiting once is queued once), never hands one key to two workers at once (a key added while
// it is processed is queued again when done() is called), delayed adds, and per-key exponential
// rate limiting for retries. Thread-safe; shared by the informer callbacks and the workers.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "operator/runtime/backoff.h"

namespace kop::runtime {

class WorkQueue {
  public:
    using Clock = std::chrono::steady_clock;
    using Now = std::function<Clock::time_point()>;

    explicit WorkQueue(Backoff backoff = {}, Now now = Clock::now);

    void add(const std::string& key);
    void add_after(const std::string& key, Duration delay);
    // Re-adds after the key's next backoff delay (a failed reconcile).
    void add_rate_limited(const std::string& key);
    // Resets the key's backoff (a successful reconcile).
    void forget(const std::string& key);
    int failures(const std::string& key);

    // Blocks until a key is ready or the queue shuts down (nullopt). The caller must call
    // done(key) when finished with it.
    std::optional<std::string> get();
    // Non-blocking get for tests with a fake clock.
    std::optional<std::string> try_get();
    void done(const std::string& key);

    void shutdown();
    size_t depth();  // keys ready to run now

  private:
    void promote_due_locked();
    std::optional<std::string> pop_locked();

    std::mutex mu_;
    std::condition_variable cv_;
    Now now_;
    ItemBackoff backoff_;
    std::deque<std::string> queue_;
    std::set<std::string> dirty_;       // queued or to be re-queued after processing
    std::set<std::string> processing_;  // handed to a worker
    std::multimap<Clock::time_point, std::string> delayed_;
    bool shutting_down_ = false;
};

}  // namespace kop::runtime
