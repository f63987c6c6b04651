#pragma once
// What the single-node broker says about the cluster in Metadata and DescribeCluster.

#include <string>

#include "broker/config/broker_config.h"

namespace broker::server::handlers {

// The cluster id clients see (stable across restarts).
inline const std::string kClusterId = "tributary-single-node";

// Host and port clients should connect to: advertised.listeners, else listeners; a wildcard
// listen address is advertised as 127.0.0.1.
inline std::pair<std::string, int32_t> advertised_endpoint(const config::BrokerConfig& config) {
    const auto& l = config.advertised();
    std::string host =
        (l.host.empty() || l.host == "0.0.0.0" || l.host == "::") ? "127.0.0.1" : l.host;
    return {host, l.port};
}

}  // namespace broker::server::handlers
