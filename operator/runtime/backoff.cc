#include "operator/runtime/backoff.h"

#include <cmath>

namespace kop::runtime {

Duration Backoff::delay(int attempt) const {
    double ms = static_cast<double>(base.count()) * std::pow(factor, std::max(attempt, 0));
    if (!std::isfinite(ms) || ms > static_cast<double>(max.count())) return max;
    return Duration(static_cast<Duration::rep>(ms));
}

Duration ItemBackoff::next(const std::string& key) {
    int attempt = failures_[key]++;
    return backoff_.delay(attempt);
}

int ItemBackoff::failures(const std::string& key) const {
    auto it = failures_.find(key);
    return it == failures_.end() ? 0 : it->second;
}

}  // namespace kop::runtime
