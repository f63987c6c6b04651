#pragma once
// Primitive value types of the Kafka wire protocol, shared by the reader, the writer and the
// generated message structs.

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

namespace common::protocol {

// An owned byte string (Kafka `bytes` and `records`).
using Bytes = std::vector<uint8_t>;

// A 128-bit Kafka UUID (topic ids), in wire order.
using Uuid = std::array<uint8_t, 16>;

// Raw tagged fields as (tag, payload) pairs in ascending tag order; used where a buffer is kept
// rather than skipped.
using TaggedFields = std::vector<std::pair<uint32_t, Bytes>>;

}  // namespace common::protocol
