#pragma once
// One function that drives every decoder of tributary_records over arbitrary bytes, as the broker
// meets them: split, parse, validate, decompress, iterate records. Shared by the libFuzzer target
// (tests/fuzz/record_batch_fuzz.cc) and the seeded replay unit test. Aborts on a broken invariant.

#include <cstddef>
#include <cstdint>
#include <span>

namespace common::records::testing {

// How far the input got; lets the replay test prove its stream reaches the deep paths.
struct ExerciseStats {
    size_t batches_split = 0;
    size_t batches_valid = 0;
    size_t batches_crc_fixed_valid = 0;
    size_t records_decoded = 0;
    size_t decompressions_ok = 0;
};

inline constexpr size_t kExerciseDecompressCap = 1 << 20;

ExerciseStats exercise_record_batches(std::span<const uint8_t> data);

}  // namespace common::records::testing
