#pragma once
// Version negotiation: the API version ranges a broker advertises in ApiVersions, and the highest
// version of an API that both the broker and the client handle. Pure functions.

#include <cstdint>
#include <map>

#include "common/protocol/api_key.h"
#include "common/protocol/messages/api_versions.h"
#include "common/result.h"

namespace kop::kafka_admin {

struct VersionRange {
    int16_t min = 0;
    int16_t max = -1;
};

// By API key (raw value, so keys the client has no name for are kept).
using BrokerVersions = std::map<int16_t, VersionRange>;

BrokerVersions broker_versions(const common::protocol::ApiVersionsResponse& response);

// The highest version in [min, max] that the broker also handles; Errc::UnsupportedVersion when
// the ranges do not meet or the broker does not serve the API.
common::Result<int16_t> negotiate_version(const BrokerVersions& broker,
                                          common::protocol::ApiKey key, int16_t min, int16_t max);

}  // namespace kop::kafka_admin
