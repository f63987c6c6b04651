#pragma once
// DiscoveryCache: what API discovery said about the versions the reconciler chooses between
// (today: whether policy/v1 serves PodDisruptionBudgets), asked once and then reused, so a
// reconcile makes no discovery request. The answer is refreshed when it is older than `ttl` or
// after invalidate() (the reconciler calls it when a kind chosen by discovery answers 404).
// Thread-safe; the KubeClient outlives it.

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>

#include "common/result.h"
#include "operator/kube/kube_client.h"

namespace kop::controllers {

class DiscoveryCache {
  public:
    using Clock = std::chrono::steady_clock;

    explicit DiscoveryCache(kube::KubeClient& client,
                            Clock::duration ttl = std::chrono::minutes(10),
                            std::function<Clock::time_point()> now = Clock::now);

    // Whether the server serves policy/v1 poddisruptionbudgets (a request only when stale).
    common::Result<bool> policy_v1();
    void invalidate();
    // Discovery requests made so far (for tests).
    int lookups() const;

  private:
    kube::KubeClient& client_;
    Clock::duration ttl_;
    std::function<Clock::time_point()> now_;
    mutable std::mutex mu_;
    std::optional<bool> policy_v1_;
    Clock::time_point fetched_at_{};
    int lookups_ = 0;
};

}  // namespace kop::controllers
