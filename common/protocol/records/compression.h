#pragma once
// Compression of record-batch payloads with Kafka's codecs, in the framings Kafka clients use:
// gzip (RFC 1952 members), snappy (xerial-framed stream as the Java client writes it; raw snappy
// blocks as librdkafka writes them are accepted on decompression), lz4 (LZ4 frame format) and zstd
// (frames). Decompression is streaming with an output cap, so a decompression bomb is refused
// (Errc::TooLarge) before it can allocate more than the cap.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/protocol/records/codec.h"
#include "common/result.h"

namespace common::records {

using Bytes = std::vector<uint8_t>;

// Compresses `input`; `level` is the codec's own scale (gzip 0-9, lz4 0-12, zstd up to 22),
// nullopt for its default (gzip 6, lz4 0 = fast, zstd 3).
// Codec::None returns a copy. Errors: Unsupported (unknown codec), InvalidArgument (bad level),
// TooLarge (gzip input over 1 GiB).
[[nodiscard]] Result<Bytes> compress(Codec codec, std::span<const uint8_t> input,
                                     std::optional<int> level = std::nullopt);

// Decompresses `input`, producing at most `max_output` bytes. Errors: TooLarge (the output would
// exceed max_output), Truncated (the stream ends early), Malformed (corrupt stream),
// Unsupported (unknown codec). Never throws, never reads outside `input`.
[[nodiscard]] Result<Bytes> decompress(Codec codec, std::span<const uint8_t> input,
                                       size_t max_output);

// Snappy framings, exposed for tests and for callers that need a specific one.
[[nodiscard]] Bytes snappy_compress_raw(std::span<const uint8_t> input);
[[nodiscard]] Bytes snappy_compress_framed(std::span<const uint8_t> input);

}  // namespace common::records
