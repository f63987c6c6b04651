#pragma once
// Result builders shared by AlterConfigs and IncrementalAlterConfigs (their per-resource
// response structs have the same fields).

#include <string>

#include "broker/server/handlers/resource_type.h"
#include "common/protocol/error_code.h"

namespace broker::server::handlers {

template <class Result>
Result make_alter_result(int8_t type, const std::string& name, common::protocol::ErrorCode code,
                         std::string message) {
    Result r;
    r.resource_type = type;
    r.resource_name = name;
    r.error_code = static_cast<int16_t>(code);
    r.error_message = message.empty() ? std::nullopt : std::optional<std::string>(message);
    return r;
}

// Broker configs are static (set at start-up); other resource types are not served.
template <class Result>
Result non_topic_result(int8_t type, const std::string& name) {
    if (static_cast<ResourceType>(type) == ResourceType::Broker) {
        return make_alter_result<Result>(type, name, common::protocol::ErrorCode::InvalidRequest,
                                         "Broker configs are static in this broker: change the "
                                         "config file and restart.");
    }
    return make_alter_result<Result>(type, name, common::protocol::ErrorCode::InvalidRequest,
                                     "Unsupported resource type " + std::to_string(type));
}

}  // namespace broker::server::handlers
