#include "operator/runtime/work_queue.h"

#include <algorithm>

namespace kop::runtime {

WorkQueue::WorkQueue(Backoff backoff, Now now) : now_(std::move(now)), backoff_(backoff) {}

void WorkQueue::add(const std::string& key) {
    std::lock_guard lock(mu_);
    if (shutting_down_ || dirty_.count(key)) return;
    dirty_.insert(key);
    if (processing_.count(key)) return;  // queued again by done()
    queue_.push_back(key);
    cv_.notify_one();
}

void WorkQueue::add_after(const std::string& key, Duration delay) {
    if (delay <= Duration::zero()) {
        add(key);
        return;
    }
    std::lock_guard lock(mu_);
    if (shutting_down_) return;
    auto when = now_() + delay;
    for (auto it = delayed_.begin(); it != delayed_.end(); ++it) {
        if (it->second != key) continue;
        if (it->first <= when) return;  // an earlier wake-up already exists
        delayed_.erase(it);
        break;
    }
    delayed_.emplace(when, key);
    cv_.notify_all();
}

void WorkQueue::add_rate_limited(const std::string& key) {
    Duration delay;
    {
        std::lock_guard lock(mu_);
        delay = backoff_.next(key);
    }
    add_after(key, delay);
}

void WorkQueue::forget(const std::string& key) {
    std::lock_guard lock(mu_);
    backoff_.forget(key);
}

int WorkQueue::failures(const std::string& key) {
    std::lock_guard lock(mu_);
    return backoff_.failures(key);
}

void WorkQueue::promote_due_locked() {
    auto now = now_();
    while (!delayed_.empty() && delayed_.begin()->first <= now) {
        std::string key = delayed_.begin()->second;
        delayed_.erase(delayed_.begin());
        if (dirty_.count(key)) continue;
        dirty_.insert(key);
        if (!processing_.count(key)) queue_.push_back(key);
    }
}

std::optional<std::string> WorkQueue::pop_locked() {
    promote_due_locked();
    if (queue_.empty()) return std::nullopt;
    std::string key = queue_.front();
    queue_.pop_front();
    dirty_.erase(key);
    processing_.insert(key);
    return key;
}

std::optional<std::string> WorkQueue::get() {
    std::unique_lock lock(mu_);
    for (;;) {
        if (shutting_down_) return std::nullopt;
        if (auto key = pop_locked()) return key;
        // Wake for the next delayed key; poll at most every 100 ms so an injected clock works.
        auto wait = std::chrono::milliseconds(100);
        if (!delayed_.empty()) {
            auto until = std::chrono::duration_cast<std::chrono::milliseconds>(
                delayed_.begin()->first - now_());
            wait = std::clamp(until, std::chrono::milliseconds(1), wait);
        }
        cv_.wait_for(lock, wait);
    }
}

std::optional<std::string> WorkQueue::try_get() {
    std::lock_guard lock(mu_);
    if (shutting_down_) return std::nullopt;
    return pop_locked();
}

void WorkQueue::done(const std::string& key) {
    std::lock_guard lock(mu_);
    processing_.erase(key);
    if (dirty_.count(key) && !shutting_down_) {
        queue_.push_back(key);
        cv_.notify_one();
    }
}

void WorkQueue::shutdown() {
    std::lock_guard lock(mu_);
    shutting_down_ = true;
    cv_.notify_all();
}

size_t WorkQueue::depth() {
    std::lock_guard lock(mu_);
    promote_due_locked();
    return queue_.size();
}

}  // namespace kop::runtime
