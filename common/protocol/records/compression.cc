#include "common/protocol/records/compression.h"

#include "common/errc.h"
#include "common/protocol/records/codec_streams.h"

namespace common::records {

Result<Bytes> compress(Codec codec, std::span<const uint8_t> input, std::optional<int> level) {
    switch (codec) {
        case Codec::None:
            return Bytes(input.begin(), input.end());
        case Codec::Gzip:
            return detail::gzip_compress(input, level);
        case Codec::Snappy:
            return snappy_compress_framed(input);
        case Codec::Lz4:
            return detail::lz4_compress(input, level);
        case Codec::Zstd:
            return detail::zstd_compress(input, level);
    }
    return Errc::Unsupported;
}

Result<Bytes> decompress(Codec codec, std::span<const uint8_t> input, size_t max_output) {
    switch (codec) {
        case Codec::None:
            if (input.size() > max_output) {
                return Errc::TooLarge;
            }
            return Bytes(input.begin(), input.end());
        case Codec::Gzip:
            return detail::gzip_decompress(input, max_output);
        case Codec::Snappy:
            return detail::snappy_decompress(input, max_output);
        case Codec::Lz4:
            return detail::lz4_decompress(input, max_output);
        case Codec::Zstd:
            return detail::zstd_decompress(input, max_output);
    }
    return Errc::Unsupported;
}

}  // namespace common::records
