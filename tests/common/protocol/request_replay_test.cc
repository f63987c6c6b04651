// Feeds the fuzz target's entry point a deterministic stream of random and mutated-valid
// requests on every test run (the libFuzzer build explores further; see tests/fuzz/run.sh).

#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "common/protocol/api_table.h"
#include "common/protocol/headers.h"
#include "common/protocol/messages/test_data.h"
#include "tests/common/protocol/request_exercise.h"

namespace common::protocol::fuzzing {
namespace {

constexpr int kIterations = 40000;

// Valid frames (header + filled body) for every request type and version.
struct CollectValid {
    std::vector<Bytes>& out;

    template <class T>
    void operator()() {
        if constexpr (T::kIsRequest) {
            for (int16_t v = T::kMinVersion; v <= T::kMaxVersion; ++v) {
                T filled;
                test_data::fill(filled, v);
                for (const T& m : {filled, T{}}) {
                    Writer w;
                    write_request_header(w, RequestHeader{T::kApiKey, v, 1, "fuzz"});
                    m.write(w, v);
                    out.push_back(w.take());
                }
            }
        }
    }
};

Bytes mutate(const Bytes& in, std::mt19937& rng) {
    Bytes b = in;
    std::uniform_int_distribution<int> op_dist(0, 5);
    const int ops = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < ops && !b.empty(); ++i) {
        const size_t pos = rng() % b.size();
        switch (op_dist(rng)) {
            case 0:  // flip a bit
                b[pos] ^= static_cast<uint8_t>(1u << (rng() % 8));
                break;
            case 1:  // random byte
                b[pos] = static_cast<uint8_t>(rng());
                break;
            case 2:  // length-like extremes
                b[pos] = (rng() % 2) ? 0xff : 0x7f;
                break;
            case 3:  // truncate
                b.resize(pos);
                break;
            case 4:  // insert a byte
                b.insert(b.begin() + static_cast<std::ptrdiff_t>(pos), static_cast<uint8_t>(rng()));
                break;
            default:  // erase a byte
                b.erase(b.begin() + static_cast<std::ptrdiff_t>(pos));
                break;
        }
    }
    return b;
}

// A valid header for a random defined API (sometimes an out-of-range version) and random bytes.
Bytes random_frame(std::mt19937& rng) {
    const auto apis = defined_apis();
    const ApiInfo& api = apis[rng() % apis.size()];
    const int span = api.max_version - api.min_version + 3;
    const auto version = static_cast<int16_t>(api.min_version - 1 + static_cast<int>(rng() % span));
    Writer w;
    write_request_header(w, RequestHeader{api.key, version, 7, "r"});
    const size_t n = rng() % 64;
    for (size_t i = 0; i < n; ++i) {
        w.write_int8(static_cast<int8_t>(rng() % 4 == 0 ? 0 : rng()));
    }
    return w.take();
}

TEST(RequestReplay, SeededRandomAndMutatedRequestsNeverBreakTheDecoders) {
    std::vector<Bytes> valid;
    for_each_message_type(CollectValid{valid});
    ASSERT_FALSE(valid.empty());

    ExerciseStats stats;
    for (const auto& frame : valid) {
        exercise_request(frame, stats);
    }
    EXPECT_EQ(stats.requests_decoded, valid.size()) << "every valid frame must decode";

    std::mt19937 rng(20240611);
    for (int i = 0; i < kIterations; ++i) {
        const Bytes input =
            (i % 4 == 0) ? random_frame(rng) : mutate(valid[rng() % valid.size()], rng);
        exercise_request(input, stats);
    }
    std::printf("headers %zu, known api versions %zu, requests decoded %zu, responses %zu\n",
                stats.headers_decoded, stats.known_api_versions, stats.requests_decoded,
                stats.responses_decoded);
    EXPECT_GT(stats.requests_decoded, valid.size());
    EXPECT_GT(stats.responses_decoded, 0u);
}

}  // namespace
}  // namespace common::protocol::fuzzing
