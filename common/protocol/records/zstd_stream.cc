// zstd: one frame on compression; decompression streams any number of frames into a capped buffer.

#include <zstd.h>
#include <zstd_errors.h>

#include "common/errc.h"
#include "common/protocol/records/codec_streams.h"

namespace common::records::detail {
namespace {

constexpr int kDefaultLevel = 3;

// Owns a decompression stream for one call.
class ZstdDecoder {
  public:
    ZstdDecoder() : ctx_(ZSTD_createDCtx()) {}
    ~ZstdDecoder() { ZSTD_freeDCtx(ctx_); }
    ZstdDecoder(const ZstdDecoder&) = delete;
    ZstdDecoder& operator=(const ZstdDecoder&) = delete;
    ZSTD_DCtx* get() const { return ctx_; }

  private:
    ZSTD_DCtx* ctx_;
};

}  // namespace

Result<Bytes> zstd_compress(std::span<const uint8_t> in, std::optional<int> level) {
    const int lvl = level.value_or(kDefaultLevel);
    if (lvl < ZSTD_minCLevel() || lvl > ZSTD_maxCLevel()) {
        return Errc::InvalidArgument;
    }
    Bytes out(ZSTD_compressBound(in.size()));
    const size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), lvl);
    if (ZSTD_isError(n)) {
        return Errc::InvalidArgument;
    }
    out.resize(n);
    return out;
}

Result<Bytes> zstd_decompress(std::span<const uint8_t> in, size_t cap) {
    ZstdDecoder dec;
    if (dec.get() == nullptr) {
        return Errc::Unsupported;
    }
    CappedOutput out(cap);
    ZSTD_inBuffer src{in.data(), in.size(), 0};
    size_t hint = 1;  // 0 once a frame is complete and flushed
    while (src.pos < src.size || hint != 0) {
        auto room = out.room();
        if (room.empty()) {
            return Errc::TooLarge;
        }
        ZSTD_outBuffer dst{room.data(), room.size(), 0};
        const size_t in_before = src.pos;
        hint = ZSTD_decompressStream(dec.get(), &dst, &src);
        if (ZSTD_isError(hint)) {
            return ZSTD_getErrorCode(hint) == ZSTD_error_frameParameter_windowTooLarge
                       ? Errc::TooLarge
                       : Errc::Malformed;
        }
        out.commit(dst.pos);
        if (out.exceeded()) {
            return Errc::TooLarge;
        }
        if (src.pos == in_before && dst.pos == 0 && hint != 0) {
            return src.pos == src.size ? Errc::Truncated : Errc::Malformed;
        }
    }
    return std::move(out).take();
}

}  // namespace common::records::detail
