#pragma once
// One function that drives the request decoders over arbitrary bytes as the broker meets them
// (a frame's payload: request header, then the body of that API and version). Shared by the
// libFuzzer target (tests/fuzz/request_fuzz.cc) and the seeded replay unit test.
// Aborts on a broken invariant: a decoded message must re-encode to bytes that decode to a
// message that re-encodes to the same bytes.

#include <cstddef>
#include <cstdint>
#include <span>

namespace common::protocol::fuzzing {

// How far the input got; lets the replay test prove its stream reaches the decoders.
struct ExerciseStats {
    size_t headers_decoded = 0;
    size_t known_api_versions = 0;
    size_t requests_decoded = 0;
    size_t responses_decoded = 0;
};

// Decodes `data` as header + request body, and the body also as the matching response.
void exercise_request(std::span<const uint8_t> data, ExerciseStats& stats);

}  // namespace common::protocol::fuzzing
