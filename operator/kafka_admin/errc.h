#pragma once
// Errors of the Kafka admin client: how talking to a broker failed (transport and protocol), and
// Kafka's own error codes carried in responses as a second category, so a caller sees one
// std::error_code whose message names the cause ("connection refused", "UNSUPPORTED_VERSION: ...").

#include <cstdint>
#include <system_error>

namespace kop::kafka_admin {

enum class Errc {
    Ok = 0,
    InvalidAddress,      // a bootstrap address is not "host:port"
    NoAddresses,         // no bootstrap address given
    ConnectionRefused,   // nothing listens there (RST on connect)
    Unreachable,         // no route, host down, name not resolved, other connect failures
    Timeout,             // the deadline passed while connecting, sending or waiting for a reply
    Disconnected,        // the broker closed the connection
    MalformedResponse,   // a reply that does not decode (wrong correlation id, truncated, ...)
    UnsupportedVersion,  // the broker and the client share no version of the API
};

const std::error_category& admin_category() noexcept;

inline std::error_code make_error_code(Errc e) noexcept {
    return {static_cast<int>(e), admin_category()};
}

// Kafka error codes (common::protocol::ErrorCode values) as std::error_code; the message is
// Kafka's name and description.
const std::error_category& kafka_error_category() noexcept;
std::error_code kafka_error(int16_t code);

}  // namespace kop::kafka_admin

template <>
struct std::is_error_code_enum<kop::kafka_admin::Errc> : std::true_type {};
