// libFuzzer target for tributary_records: split, parse, validate, decompress and iterate records
// over arbitrary bytes. The body is shared with the seeded replay unit test
// (tests/common/records/record_batch_replay_test.cc), which runs it on every build.

#include <cstddef>
#include <cstdint>

#include "tests/common/records/record_batch_exercise.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    common::records::testing::exercise_record_batches({data, size});
    return 0;
}
