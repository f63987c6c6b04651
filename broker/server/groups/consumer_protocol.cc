#include "broker/server/groups/consumer_protocol.h"

#include "common/protocol/reader.h"

namespace broker::server::groups {

std::optional<std::vector<std::string>> subscription_topics(std::span<const uint8_t> metadata) {
    common::protocol::Reader r(metadata);
    auto version = r.read_int16();
    if (!version || version.value() < 0) return std::nullopt;
    auto count = r.read_array_length(false);
    if (!count || count.value() < 0) return std::nullopt;
    std::vector<std::string> topics;
    for (int32_t i = 0; i < count.value(); ++i) {
        auto topic = r.read_string(false);
        if (!topic) return std::nullopt;
        topics.push_back(std::move(topic).value());
    }
    return topics;
}

}  // namespace broker::server::groups
