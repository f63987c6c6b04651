#include "operator/controllers/discovery_cache.h"

namespace kop::controllers {

DiscoveryCache::DiscoveryCache(kube::KubeClient& client, Clock::duration ttl,
                               std::function<Clock::time_point()> now)
    : client_(client), ttl_(ttl), now_(std::move(now)) {}

common::Result<bool> DiscoveryCache::policy_v1() {
    std::lock_guard lock(mu_);
    const auto now = now_();
    if (policy_v1_ && now - fetched_at_ < ttl_) return *policy_v1_;
    ++lookups_;
    TRIBUTARY_TRY(served, kube::serves(client_, "policy/v1", "poddisruptionbudgets"));
    policy_v1_ = served;
    fetched_at_ = now;
    return served;
}

void DiscoveryCache::invalidate() {
    std::lock_guard lock(mu_);
    policy_v1_.reset();
}

int DiscoveryCache::lookups() const {
    std::lock_guard lock(mu_);
    return lookups_;
}

}  // namespace kop::controllers
