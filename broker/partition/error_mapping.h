#pragma once
// The one place where data-path errors become Kafka error codes (used by the Produce, Fetch,
// ListOffsets and InitProducerId handlers). Stateless.

#include <system_error>

#include "common/protocol/error_code.h"

namespace broker::partition {

// Maps a partition Errc (exhaustively) to its Kafka error code; any other error is
// KafkaStorageError for storage/common I/O failures and UnknownServerError otherwise.
common::protocol::ErrorCode to_kafka_error(const std::error_code& ec);

inline int16_t to_kafka_code(const std::error_code& ec) {
    return static_cast<int16_t>(to_kafka_error(ec));
}

}  // namespace broker::partition
