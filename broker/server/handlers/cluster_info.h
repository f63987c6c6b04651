#pragma once
// What a broker says about its own address in Metadata and DescribeCluster.

#include <string>
#include <string_view>

#include "broker/config/broker_config.h"

namespace broker::server::handlers {

// Host and port clients on `listener` should connect to (Kafka's rule: the listener the request
// arrived on, by name): advertised.listeners, else listeners; an unknown or empty name falls back
// to the first client listener. A wildcard listen address is advertised as 127.0.0.1.
inline std::pair<std::string, int32_t> advertised_endpoint(const config::BrokerConfig& config,
                                                           std::string_view listener) {
    const auto* found = config.advertised_for(listener);
    const auto& l = found ? *found : config.advertised();
    std::string host =
        (l.host.empty() || l.host == "0.0.0.0" || l.host == "::") ? "127.0.0.1" : l.host;
    return {host, l.port};
}

}  // namespace broker::server::handlers
