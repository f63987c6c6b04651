// gzip via zlib: compression writes one gzip member; decompression accepts concatenated members.

#include <zlib.h>

#include <climits>

#include "common/errc.h"
#include "common/protocol/records/codec_streams.h"

namespace common::records::detail {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip wrapper

// Owns a z_stream for one call.
class Inflater {
  public:
    Inflater() { ok_ = inflateInit2(&z_, kGzipWindowBits) == Z_OK; }
    ~Inflater() {
        if (ok_) {
            inflateEnd(&z_);
        }
    }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;
    [[nodiscard]] bool ok() const { return ok_; }
    z_stream& z() { return z_; }

  private:
    z_stream z_{};
    bool ok_ = false;
};

// zlib counts in uInt; feed it at most this much per call.
constexpr size_t kMaxChunk = 1u << 30;

}  // namespace

Result<Bytes> gzip_compress(std::span<const uint8_t> in, std::optional<int> level) {
    const int lvl = level.value_or(Z_DEFAULT_COMPRESSION);
    if (lvl != Z_DEFAULT_COMPRESSION && (lvl < 0 || lvl > 9)) {
        return Errc::InvalidArgument;
    }
    if (in.size() > kMaxChunk) {
        return Errc::TooLarge;  // one deflate call takes at most this much
    }
    z_stream z{};
    if (deflateInit2(&z, lvl, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return Errc::InvalidArgument;
    }
    Bytes out(deflateBound(&z, static_cast<uLong>(in.size())) + 64);
    z.next_in = const_cast<Bytef*>(in.data());
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        return Errc::InvalidArgument;
    }
    return out;
}

Result<Bytes> gzip_decompress(std::span<const uint8_t> in, size_t cap) {
    Inflater inf;
    if (!inf.ok()) {
        return Errc::Unsupported;
    }
    z_stream& z = inf.z();
    CappedOutput out(cap, in.size());
    size_t pos = 0;
    while (true) {
        auto room = out.room();
        if (room.empty()) {
            return Errc::TooLarge;
        }
        const size_t chunk = std::min(in.size() - pos, kMaxChunk);
        z.next_in = const_cast<Bytef*>(in.data() + pos);
        z.avail_in = static_cast<uInt>(chunk);
        z.next_out = room.data();
        z.avail_out = static_cast<uInt>(std::min(room.size(), kMaxChunk));
        const uInt out_before = z.avail_out;
        const int rc = inflate(&z, Z_NO_FLUSH);
        pos += chunk - z.avail_in;
        out.commit(out_before - z.avail_out);
        if (out.exceeded()) {
            return Errc::TooLarge;
        }
        if (rc == Z_STREAM_END) {
            if (pos == in.size()) {
                break;
            }
            // Another gzip member follows, as in concatenated gzip files.
            if (inflateReset(&z) != Z_OK) {
                return Errc::Malformed;
            }
        } else if (rc == Z_BUF_ERROR) {
            // No progress possible: with room to write, only input can be missing.
            return pos == in.size() ? Errc::Truncated : Errc::Malformed;
        } else if (rc != Z_OK) {
            return Errc::Malformed;
        }
    }
    return std::move(out).take();
}

}  // namespace common::records::detail
