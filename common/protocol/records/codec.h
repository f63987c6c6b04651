#pragma once
// The compression codecs of Kafka record batches: the low three bits of a batch's attributes.

#include <cstdint>
#include <string_view>

namespace common::records {

enum class Codec : uint8_t {
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
};

// True for the values 0..4; 5..7 fit in the attribute bits but name no codec.
constexpr bool is_known_codec(Codec c) {
    return static_cast<uint8_t>(c) <= 4;
}

// Kafka's name for the codec ("none", "gzip", "snappy", "lz4", "zstd"); "unknown" otherwise.
std::string_view codec_name(Codec c);

}  // namespace common::records
