// lz4: the LZ4 frame format, as Kafka's clients write it for magic >= 1 (independent 64 KiB blocks,
// no content size). Decompression streams frame after frame into a capped buffer.

#include <lz4frame.h>

#include <cstring>

#include "common/errc.h"
#include "common/protocol/records/codec_streams.h"

namespace common::records::detail {
namespace {

// Owns a decompression context for one call.
class Lz4Decoder {
  public:
    Lz4Decoder() {
        if (LZ4F_isError(LZ4F_createDecompressionContext(&ctx_, LZ4F_VERSION))) {
            ctx_ = nullptr;
        }
    }
    ~Lz4Decoder() { LZ4F_freeDecompressionContext(ctx_); }
    Lz4Decoder(const Lz4Decoder&) = delete;
    Lz4Decoder& operator=(const Lz4Decoder&) = delete;
    [[nodiscard]] LZ4F_dctx* get() const { return ctx_; }

  private:
    LZ4F_dctx* ctx_ = nullptr;
};

}  // namespace

Result<Bytes> lz4_compress(std::span<const uint8_t> in, std::optional<int> level) {
    LZ4F_preferences_t prefs;
    std::memset(&prefs, 0, sizeof prefs);
    prefs.frameInfo.blockSizeID = LZ4F_max64KB;
    prefs.frameInfo.blockMode = LZ4F_blockIndependent;
    prefs.compressionLevel = level.value_or(0);
    if (prefs.compressionLevel < 0 || prefs.compressionLevel > 12) {
        return Errc::InvalidArgument;
    }
    Bytes out(LZ4F_compressFrameBound(in.size(), &prefs));
    const size_t n = LZ4F_compressFrame(out.data(), out.size(), in.data(), in.size(), &prefs);
    if (LZ4F_isError(n)) {
        return Errc::InvalidArgument;
    }
    out.resize(n);
    return out;
}

Result<Bytes> lz4_decompress(std::span<const uint8_t> in, size_t cap) {
    Lz4Decoder dec;
    if (dec.get() == nullptr) {
        return Errc::Unsupported;
    }
    CappedOutput out(cap, in.size());
    size_t pos = 0;
    size_t hint = 1;  // 0 once a frame is complete
    while (pos < in.size() || hint != 0) {
        auto room = out.room();
        if (room.empty()) {
            return Errc::TooLarge;
        }
        size_t src_size = in.size() - pos;
        size_t dst_size = room.size();
        hint =
            LZ4F_decompress(dec.get(), room.data(), &dst_size, in.data() + pos, &src_size, nullptr);
        if (LZ4F_isError(hint)) {
            return Errc::Malformed;
        }
        pos += src_size;
        out.commit(dst_size);
        if (out.exceeded()) {
            return Errc::TooLarge;
        }
        if (src_size == 0 && dst_size == 0 && hint != 0) {
            // No progress: the frame needs input we do not have.
            return pos == in.size() ? Errc::Truncated : Errc::Malformed;
        }
    }
    return std::move(out).take();
}

}  // namespace common::records::detail
