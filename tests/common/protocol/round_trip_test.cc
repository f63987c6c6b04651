// Every generated message, every version: write -> read -> equal, re-write byte-identical, and
// every proper prefix of the encoding is refused without reading past it.

#include <string>
#include <typeinfo>

#include <gtest/gtest.h>

#include "common/protocol/messages/all.h"
#include "common/protocol/messages/test_data.h"

namespace common::protocol {
namespace {

struct Counts {
    int versions = 0;
    int prefixes = 0;
};

template <class T>
void expect_round_trip(const T& message, int16_t version, const std::string& what, Counts& counts) {
    Writer w;
    message.write(w, version);
    const Bytes& bytes = w.data();

    Reader r(bytes);
    auto decoded = T::read(r, version);
    ASSERT_TRUE(decoded) << what << ": " << decoded.error().message();
    EXPECT_TRUE(r.at_end()) << what << ": " << r.remaining() << " bytes left";
    EXPECT_TRUE(decoded.value() == message) << what << ": decoded value differs";

    Writer again;
    decoded.value().write(again, version);
    EXPECT_EQ(again.data(), bytes) << what << ": re-encoding differs";

    for (size_t n = 0; n < bytes.size(); ++n) {
        Reader prefix(std::span<const uint8_t>(bytes).first(n));
        auto partial = T::read(prefix, version);
        EXPECT_FALSE(partial) << what << ": a " << n << "-byte prefix decoded";
        EXPECT_LE(prefix.position(), n);
        ++counts.prefixes;
    }
    ++counts.versions;
}

struct RoundTripAll {
    Counts& counts;

    template <class T>
    void operator()() {
        for (int16_t v = T::kMinVersion; v <= T::kMaxVersion; ++v) {
            const std::string name =
                std::string(api_key_name(T::kApiKey)) + (T::kIsRequest ? "Request" : "Response");
            T filled;
            test_data::fill(filled, v);
            expect_round_trip(filled, v, name + " v" + std::to_string(v) + " (filled)", counts);
            expect_round_trip(T{}, v, name + " v" + std::to_string(v) + " (defaults)", counts);
        }
    }
};

TEST(RoundTrip, EveryMessageEveryVersionRoundTripsAndEveryPrefixFails) {
    Counts counts;
    for_each_message_type(RoundTripAll{counts});
    EXPECT_GT(counts.versions, 0);
    EXPECT_GT(counts.prefixes, 0);
    std::printf("round-tripped %d encodings, refused %d truncated prefixes\n", counts.versions,
                counts.prefixes);
}

// Filled test data differs from the defaults in every version whose encoding carries more
// than an empty tag buffer, so the round trip above exercises real values.
struct FilledDiffersFromDefaults {
    template <class T>
    void operator()() {
        for (int16_t v = T::kMinVersion; v <= T::kMaxVersion; ++v) {
            T filled;
            test_data::fill(filled, v);
            Writer a;
            filled.write(a, v);
            Writer b;
            T{}.write(b, v);
            const size_t empty_size =
                v >= T::kFirstFlexibleVersion && T::kFirstFlexibleVersion >= 0;
            if (b.size() > empty_size) {
                EXPECT_NE(a.data(), b.data()) << api_key_name(T::kApiKey) << " v" << v;
            }
        }
    }
};

TEST(RoundTrip, FilledTestDataDiffersFromDefaults) {
    for_each_message_type(FilledDiffersFromDefaults{});
}

}  // namespace
}  // namespace common::protocol
