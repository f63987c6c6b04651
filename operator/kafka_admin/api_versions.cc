#include "operator/kafka_admin/api_versions.h"

#include <algorithm>

#include "operator/kafka_admin/errc.h"

namespace kop::kafka_admin {

BrokerVersions broker_versions(const common::protocol::ApiVersionsResponse& response) {
    BrokerVersions out;
    for (const auto& k : response.api_keys) out[k.api_key] = {k.min_version, k.max_version};
    return out;
}

common::Result<int16_t> negotiate_version(const BrokerVersions& broker,
                                          common::protocol::ApiKey key, int16_t min, int16_t max) {
    auto it = broker.find(static_cast<int16_t>(key));
    if (it == broker.end()) return Errc::UnsupportedVersion;
    const int16_t high = std::min(max, it->second.max);
    const int16_t low = std::max(min, it->second.min);
    if (high < low) return Errc::UnsupportedVersion;
    return high;
}

}  // namespace kop::kafka_admin
