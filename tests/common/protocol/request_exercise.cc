#include "tests/common/protocol/request_exercise.h"

#include <cstdio>
#include <cstdlib>

#include "common/protocol/headers.h"
#include "common/protocol/messages/all.h"

namespace common::protocol::fuzzing {
namespace {

[[noreturn]] void fail(const char* what, ApiKey key, int16_t version) {
    std::fprintf(stderr, "invariant broken: %s (%s v%d)\n", what,
                 std::string(api_key_name(key)).c_str(), version);
    std::abort();
}

// Decode, re-encode, decode again, re-encode again: both encodings must be identical.
// (Byte equality rather than value equality, so NaN doubles do not count as a difference.)
template <class T>
bool decode_and_check(std::span<const uint8_t> body, int16_t version) {
    Reader r(body);
    auto first = T::read(r, version);
    if (r.position() > body.size()) {
        fail("reader moved past the end", T::kApiKey, version);
    }
    if (!first) {
        return false;
    }
    Writer w1;
    first.value().write(w1, version);
    Reader r2(w1.data());
    auto second = T::read(r2, version);
    if (!second) {
        fail("re-encoded message does not decode", T::kApiKey, version);
    }
    if (!r2.at_end()) {
        fail("re-encoded message has trailing bytes", T::kApiKey, version);
    }
    Writer w2;
    second.value().write(w2, version);
    if (w1.data() != w2.data()) {
        fail("encoding is not stable", T::kApiKey, version);
    }
    return true;
}

struct Dispatch {
    ApiKey key;
    int16_t version;
    std::span<const uint8_t> body;
    ExerciseStats& stats;

    template <class T>
    void operator()() {
        if (T::kApiKey != key || version < T::kMinVersion || version > T::kMaxVersion) {
            return;
        }
        if constexpr (T::kIsRequest) {
            ++stats.known_api_versions;
            stats.requests_decoded += decode_and_check<T>(body, version) ? 1 : 0;
        } else {
            stats.responses_decoded += decode_and_check<T>(body, version) ? 1 : 0;
        }
    }
};

}  // namespace

void exercise_request(std::span<const uint8_t> data, ExerciseStats& stats) {
    Reader r(data);
    auto header = read_request_header(r);
    if (!header) {
        return;
    }
    ++stats.headers_decoded;
    const auto body = data.subspan(r.position());
    for_each_message_type(
        Dispatch{header.value().api_key, header.value().api_version, body, stats});
}

}  // namespace common::protocol::fuzzing
