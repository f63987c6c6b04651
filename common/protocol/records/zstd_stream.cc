// zstd: one frame on compression; decompression streams any number of frames into a capped buffer.

#include <zstd.h>
#include <zstd_errors.h>

#include "common/errc.h"
#include "common/protocol/records/codec_streams.h"

namespace common::records::detail {
namespace {

constexpr int kDefaultLevel = 3;

// One decompression context per thread, reused: a fresh context allocates (and page-faults) its
// window buffer on every call, which costs several times the decoding itself. A context that grew
// past kMaxRetained (a frame with a huge window) is freed after the call instead of kept.
class ThreadDecoder {
  public:
    ThreadDecoder() = default;
    ~ThreadDecoder() { ZSTD_freeDCtx(ctx_); }
    ThreadDecoder(const ThreadDecoder&) = delete;
    ThreadDecoder& operator=(const ThreadDecoder&) = delete;

    ZSTD_DCtx* acquire() {
        if (ctx_ == nullptr) {
            ctx_ = ZSTD_createDCtx();
        } else {
            ZSTD_DCtx_reset(ctx_, ZSTD_reset_session_and_parameters);
        }
        return ctx_;
    }
    void trim() {
        if (ctx_ != nullptr && ZSTD_sizeof_DCtx(ctx_) > kMaxRetained) {
            ZSTD_freeDCtx(ctx_);
            ctx_ = nullptr;
        }
    }

  private:
    static constexpr size_t kMaxRetained = 8u << 20;
    ZSTD_DCtx* ctx_ = nullptr;
};

thread_local ThreadDecoder t_decoder;

// Trims the thread's context when a decompression returns, whichever way it returns.
struct TrimOnExit {
    ~TrimOnExit() { t_decoder.trim(); }
};

std::error_code map_error(size_t code) {
    return ZSTD_getErrorCode(code) == ZSTD_error_frameParameter_windowTooLarge
               ? make_error_code(Errc::TooLarge)
               : make_error_code(Errc::Malformed);
}

// A first frame that declares its content size (one-shot compressors write it) decodes in one
// call into a buffer of exactly that size; zstd checks the declaration against the content.
// nullopt when more frames follow, which the streaming path handles.
std::optional<Result<Bytes>> decompress_declared(ZSTD_DCtx* ctx, std::span<const uint8_t> in,
                                                 size_t cap) {
    const unsigned long long declared = ZSTD_getFrameContentSize(in.data(), in.size());
    if (declared == ZSTD_CONTENTSIZE_UNKNOWN || declared == ZSTD_CONTENTSIZE_ERROR) {
        return std::nullopt;
    }
    if (declared > cap) {
        return Result<Bytes>(Errc::TooLarge);
    }
    Bytes out(static_cast<size_t>(declared));
    const size_t n = ZSTD_decompressDCtx(ctx, out.data(), out.size(), in.data(), in.size());
    if (ZSTD_isError(n) && ZSTD_getErrorCode(n) == ZSTD_error_dstSize_tooSmall) {
        return std::nullopt;
    }
    if (ZSTD_isError(n)) {
        return Result<Bytes>(map_error(n));
    }
    if (n != out.size()) {
        return Result<Bytes>(Errc::Malformed);
    }
    return Result<Bytes>(std::move(out));
}

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
    TrimOnExit trim;
    ZSTD_DCtx* ctx = t_decoder.acquire();
    if (ctx == nullptr) {
        return Errc::Unsupported;
    }
    if (auto done = decompress_declared(ctx, in, cap)) {
        return std::move(*done);
    }
    ZSTD_DCtx_reset(ctx, ZSTD_reset_session_only);
    // Streaming frames (the Java client's) do not declare their size: decode into a capped
    // buffer.
    CappedOutput out(cap, in.size());
    ZSTD_inBuffer src{in.data(), in.size(), 0};
    size_t hint = 1;  // 0 once a frame is complete and flushed
    while (src.pos < src.size || hint != 0) {
        auto room = out.room();
        if (room.empty()) {
            return Errc::TooLarge;
        }
        ZSTD_outBuffer dst{room.data(), room.size(), 0};
        const size_t in_before = src.pos;
        hint = ZSTD_decompressStream(ctx, &dst, &src);
        if (ZSTD_isError(hint)) {
            return map_error(hint);
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
