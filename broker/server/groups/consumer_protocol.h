#pragma once
// The consumer protocol's subscription metadata (what "consumer" group members send in
// JoinGroup): version int16, then the subscribed topics. Only the topics are read here, to tell
// which topics a group consumes (OffsetDelete, offset expiry). Pure functions.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace broker::server::groups {

inline constexpr std::string_view kConsumerProtocolType = "consumer";

// The topics of a subscription, or nullopt when the bytes are not a valid subscription.
std::optional<std::vector<std::string>> subscription_topics(std::span<const uint8_t> metadata);

}  // namespace broker::server::groups
