#pragma once
// The one place where errors of the cluster layer become Kafka error codes.

#include <cstdint>
#include <system_error>

#include "common/protocol/error_code.h"

namespace broker::server {

// Success -> None; cluster::Errc values map one to one; anything else -> UnknownServerError.
common::protocol::ErrorCode to_kafka_error(const std::error_code& error);

inline int16_t to_kafka_code(const std::error_code& error) {
    return static_cast<int16_t>(to_kafka_error(error));
}

}  // namespace broker::server
