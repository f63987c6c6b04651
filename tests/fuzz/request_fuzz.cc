// libFuzzer target for the Kafka request decoders: request header, then the body of every known
// API and version (and the matching response decoder). The body is shared with the seeded replay
// unit test (tests/common/protocol/request_replay_test.cc), which runs it on every build.

#include <cstddef>
#include <cstdint>

#include "tests/common/protocol/request_exercise.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    common::protocol::fuzzing::ExerciseStats stats;
    common::protocol::fuzzing::exercise_request({data, size}, stats);
    return 0;
}
