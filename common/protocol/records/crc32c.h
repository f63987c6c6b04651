#pragma once
// CRC-32C (Castagnoli), the checksum of Kafka record batches (magic v2).
// The SSE4.2 crc32 instruction is used when the CPU has it (checked once, at run time); otherwise a
// table-driven slicing-by-8 implementation. Both give identical results.

#include <cstddef>
#include <cstdint>
#include <span>

namespace common::records {

// CRC-32C of `data`.
uint32_t crc32c(std::span<const uint8_t> data);

// Continues a CRC: crc32c_extend(crc32c(a), b) == crc32c(a ++ b). crc32c_extend(0, x) == crc32c(x).
uint32_t crc32c_extend(uint32_t crc, std::span<const uint8_t> data);

// The two implementations, exposed so tests and benchmarks can compare them directly.
namespace crc32c_impl {
uint32_t extend_portable(uint32_t crc, std::span<const uint8_t> data);
// Only call when has_sse42() is true.
uint32_t extend_sse42(uint32_t crc, std::span<const uint8_t> data);
bool has_sse42();
}  // namespace crc32c_impl

}  // namespace common::records
