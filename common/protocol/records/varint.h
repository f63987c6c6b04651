#pragma once
// Zig-zag varints as record fields use them: varint (int32, at most 5 bytes) and varlong
// (int64, at most 10 bytes), least significant group first.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"

namespace common::records {

void put_varint(std::vector<uint8_t>& out, int32_t value);
void put_varlong(std::vector<uint8_t>& out, int64_t value);
size_t varint_size(int32_t value);

// Reads at `pos` and advances it. Errors: Truncated (input ends inside the varint),
// Malformed (longer than the type allows). `pos` is unchanged on error.
[[nodiscard]] Result<int32_t> get_varint(std::span<const uint8_t> in, size_t& pos);
[[nodiscard]] Result<int64_t> get_varlong(std::span<const uint8_t> in, size_t& pos);

}  // namespace common::records
