// snappy: raw blocks, and the xerial stream framing the Java client writes (an 16-byte header of
// magic "\x82SNAPPY\0", version and compatible version, then blocks each prefixed by a big-endian
// int32 compressed length). Decompression detects the framing by its magic, as Java does.

#include <snappy.h>

#include <array>
#include <cstring>

#include "common/errc.h"
#include "common/protocol/records/big_endian.h"
#include "common/protocol/records/codec_streams.h"
#include "common/protocol/records/compression.h"

namespace common::records {
namespace {

constexpr std::array<uint8_t, 8> kXerialMagic = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
constexpr size_t kXerialHeaderSize = 16;
constexpr int32_t kXerialVersion = 1;
constexpr int32_t kXerialCompatibleVersion = 1;
constexpr size_t kXerialBlockSize = size_t{32} * 1024;  // the Java client's default block size

bool starts_with_magic(std::span<const uint8_t> in) {
    return in.size() >= kXerialMagic.size() &&
           std::memcmp(in.data(), kXerialMagic.data(), kXerialMagic.size()) == 0;
}

const char* chars(const uint8_t* p) {
    return reinterpret_cast<const char*>(p);
}

// The uncompressed length a raw snappy block declares, checked against `room` and against the
// format's bound (an element yields at most 64 bytes per input byte): a larger claim is a lie told
// to make us allocate.
Result<size_t> declared_length(std::span<const uint8_t> block, size_t room) {
    size_t length = 0;
    if (!snappy::GetUncompressedLength(chars(block.data()), block.size(), &length)) {
        return Errc::Malformed;
    }
    if (length > room) {
        return Errc::TooLarge;
    }
    if (length / 64 > block.size()) {
        return Errc::Malformed;
    }
    return length;
}

// Appends the decompression of one raw snappy block to `out`, keeping out.size() <= cap.
Result<void> append_raw_block(std::span<const uint8_t> block, size_t cap, Bytes& out) {
    TRIBUTARY_TRY(length, declared_length(block, cap - out.size()));
    const size_t at = out.size();
    out.resize(at + length);
    if (!snappy::RawUncompress(chars(block.data()), block.size(),
                               reinterpret_cast<char*>(out.data() + at))) {
        return Errc::Malformed;
    }
    return ok();
}

// The raw blocks of a xerial stream (possibly several concatenated streams), framing checked.
Result<std::vector<std::span<const uint8_t>>> xerial_blocks(std::span<const uint8_t> in) {
    std::vector<std::span<const uint8_t>> blocks;
    size_t pos = 0;
    while (pos < in.size()) {
        if (starts_with_magic(in.subspan(pos))) {
            if (in.size() - pos < kXerialHeaderSize) {
                return Errc::Truncated;
            }
            pos += kXerialHeaderSize;
            continue;
        }
        if (in.size() - pos < 4) {
            return Errc::Truncated;
        }
        const auto block_size = be::load<int32_t>(in.data() + pos);
        pos += 4;
        if (block_size < 0) {
            return Errc::Malformed;
        }
        if (static_cast<size_t>(block_size) > in.size() - pos) {
            return Errc::Truncated;
        }
        blocks.push_back(in.subspan(pos, static_cast<size_t>(block_size)));
        pos += static_cast<size_t>(block_size);
    }
    return blocks;
}

Result<Bytes> decompress_framed(std::span<const uint8_t> in, size_t cap) {
    TRIBUTARY_TRY(blocks, xerial_blocks(in));
    // Sizes first: the cap is enforced before any allocation, and the output allocated once.
    size_t total = 0;
    for (auto block : blocks) {
        TRIBUTARY_TRY(length, declared_length(block, cap - total));
        total += length;
    }
    Bytes out;
    out.reserve(total);
    for (auto block : blocks) {
        TRIBUTARY_TRY(append_raw_block(block, cap, out));
    }
    return out;
}

}  // namespace

Bytes snappy_compress_raw(std::span<const uint8_t> input) {
    Bytes out(snappy::MaxCompressedLength(input.size()));
    size_t n = 0;
    snappy::RawCompress(chars(input.data()), input.size(), reinterpret_cast<char*>(out.data()), &n);
    out.resize(n);
    return out;
}

Bytes snappy_compress_framed(std::span<const uint8_t> input) {
    Bytes out(kXerialHeaderSize);
    std::memcpy(out.data(), kXerialMagic.data(), kXerialMagic.size());
    be::store<int32_t>(out.data() + 8, kXerialVersion);
    be::store<int32_t>(out.data() + 12, kXerialCompatibleVersion);
    for (size_t pos = 0; pos < input.size(); pos += kXerialBlockSize) {
        const auto block =
            snappy_compress_raw(input.subspan(pos, std::min(kXerialBlockSize, input.size() - pos)));
        const size_t at = out.size();
        out.resize(at + 4 + block.size());
        be::store<int32_t>(out.data() + at, static_cast<int32_t>(block.size()));
        std::memcpy(out.data() + at + 4, block.data(), block.size());
    }
    return out;
}

namespace detail {

Result<Bytes> snappy_decompress(std::span<const uint8_t> in, size_t cap) {
    if (starts_with_magic(in)) {
        return decompress_framed(in, cap);
    }
    Bytes out;
    TRIBUTARY_TRY(append_raw_block(in, cap, out));
    return out;
}

}  // namespace detail
}  // namespace common::records
