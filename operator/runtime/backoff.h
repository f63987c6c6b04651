#pragma once
// Exponential backoff: per-attempt delays (base * factor^n, capped) and a per-key failure count
// for the work queue's rate limiting. Pure values; ItemBackoff is not thread-safe by itself.

#include <chrono>
#include <map>
#include <string>

namespace kop::runtime {

using Duration = std::chrono::milliseconds;

struct Backoff {
    Duration base{5};
    Duration max{std::chrono::seconds(300)};
    double factor = 2.0;

    // The delay before retry number `attempt` (0-based): base, base*factor, ... capped at max.
    Duration delay(int attempt) const;
};

// Counts consecutive failures per key; forget() resets a key after a success.
class ItemBackoff {
  public:
    explicit ItemBackoff(Backoff backoff = {}) : backoff_(backoff) {}
    Duration next(const std::string& key);  // the delay for this failure; counts it
    void forget(const std::string& key) { failures_.erase(key); }
    int failures(const std::string& key) const;

  private:
    Backoff backoff_;
    std::map<std::string, int> failures_;
};

}  // namespace kop::runtime
