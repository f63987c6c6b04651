#pragma once
// Internal to tributary_records: one compress/decompress pair per codec, and the capped output
// buffer the streaming decompressors write into. Use compression.h instead.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/result.h"

namespace common::records::detail {

using Bytes = std::vector<uint8_t>;

// Growable output for one decompression; owned by that call. It never holds more than cap + 1
// bytes: a decoder that fills the extra byte has proven the output exceeds the cap.
class CappedOutput {
  public:
    // `input_size` sizes the first allocation (a typical ratio), saving regrowth and copies.
    CappedOutput(size_t cap, size_t input_size)
        : cap_(std::min(cap, kMaxCap)), first_(std::max(kMinGrowth, input_size * kTypicalRatio)) {}

    // Room for the decoder to write into; empty only once the cap is exceeded.
    std::span<uint8_t> room() {
        if (used_ == buf_.size() && buf_.size() <= cap_) {
            const size_t limit = cap_ + 1;
            const size_t grow = buf_.empty() ? first_ : buf_.size();
            buf_.resize(buf_.size() + std::min(grow, limit - buf_.size()));
        }
        return std::span<uint8_t>(buf_).subspan(used_);
    }
    void commit(size_t n) { used_ += n; }
    bool exceeded() const { return used_ > cap_; }
    Bytes take() && {
        buf_.resize(used_);
        return std::move(buf_);
    }

  private:
    static constexpr size_t kMinGrowth = 64 * 1024;
    static constexpr size_t kMaxCap = SIZE_MAX / 2;
    static constexpr size_t kTypicalRatio = 4;
    size_t cap_;
    size_t first_;
    size_t used_ = 0;
    Bytes buf_;
};

Result<Bytes> gzip_compress(std::span<const uint8_t> in, std::optional<int> level);
Result<Bytes> gzip_decompress(std::span<const uint8_t> in, size_t cap);
Result<Bytes> snappy_decompress(std::span<const uint8_t> in, size_t cap);
Result<Bytes> lz4_compress(std::span<const uint8_t> in, std::optional<int> level);
Result<Bytes> lz4_decompress(std::span<const uint8_t> in, size_t cap);
Result<Bytes> zstd_compress(std::span<const uint8_t> in, std::optional<int> level);
Result<Bytes> zstd_decompress(std::span<const uint8_t> in, size_t cap);

}  // namespace common::records::detail
