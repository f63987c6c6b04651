// Replays a seeded stream of valid, mutated and random batches through the same function the
// libFuzzer target runs, so every build checks that hostile input fails cleanly.

#include <random>
#include <string>

#include <gtest/gtest.h>

#include "common/protocol/records/record_batch_builder.h"
#include "tests/common/records/record_batch_exercise.h"

namespace common::records::testing {
namespace {

constexpr uint64_t kSeed = 0x7269627574617279;  // fixed: failures reproduce
constexpr int kRounds = 3000;

// Generates batches and mutations from one seeded engine.
class Generator {
  public:
    explicit Generator(uint64_t seed) : rng_(seed) {}

    size_t below(size_t n) { return n == 0 ? 0 : rng_() % n; }

    std::vector<uint8_t> random_bytes(size_t n) {
        std::vector<uint8_t> out(n);
        for (auto& b : out) b = static_cast<uint8_t>(rng_());
        return out;
    }

    // A valid batch with random codec, producer fields and records; `records` receives the count.
    std::vector<uint8_t> batch(int& records) {
        BatchOptions o;
        o.base_offset = static_cast<int64_t>(below(1'000'000));
        o.codec = static_cast<Codec>(below(5));
        o.producer_id = below(2) ? static_cast<int64_t>(below(10'000)) : -1;
        o.producer_epoch = static_cast<int16_t>(below(5));
        o.base_sequence = static_cast<int32_t>(below(100));
        o.transactional = below(4) == 0;
        RecordBatchBuilder b(o);
        records = 1 + static_cast<int>(below(20));
        for (int i = 0; i < records; ++i) {
            NewRecord r;
            if (below(3)) r.key = random_bytes(below(16));
            if (below(5)) r.value = text(below(300));
            r.timestamp = 1700000000000 + static_cast<int64_t>(below(100'000));
            for (size_t h = below(3); h > 0; --h) {
                r.headers.push_back({"h" + std::to_string(h), random_bytes(below(8))});
            }
            b.add(std::move(r));
        }
        return b.build().value();
    }

    void mutate(std::vector<uint8_t>& buf) {
        switch (below(7)) {
            case 0:  // flip a few bits
                for (size_t n = 1 + below(4); n > 0 && !buf.empty(); --n) {
                    buf[below(buf.size())] ^= static_cast<uint8_t>(1u << below(8));
                }
                break;
            case 1:
                buf.resize(below(buf.size()));
                break;
            case 2: {
                auto junk = random_bytes(1 + below(32));
                buf.insert(buf.begin() + static_cast<long>(below(buf.size() + 1)), junk.begin(),
                           junk.end());
                break;
            }
            case 3: {
                const size_t at = below(buf.size());
                buf.erase(buf.begin() + static_cast<long>(at),
                          buf.begin() + static_cast<long>(at + below(buf.size() - at + 1)));
                break;
            }
            case 4:  // overwrite a header field with random bytes
                for (size_t i = 0; i < 4 && !buf.empty(); ++i) {
                    buf[below(std::min<size_t>(buf.size(), 61))] = static_cast<uint8_t>(rng_());
                }
                break;
            case 5:  // scribble over the payload
                if (buf.size() > 61) {
                    const size_t at = 61 + below(buf.size() - 61);
                    for (size_t i = at; i < std::min(buf.size(), at + 1 + below(16)); ++i) {
                        buf[i] = static_cast<uint8_t>(rng_());
                    }
                }
                break;
            default:
                buf = random_bytes(below(512));
                break;
        }
    }

  private:
    std::vector<uint8_t> text(size_t n) {
        static const char kAlphabet[] = "abcab cabbage ";
        std::vector<uint8_t> out(n);
        for (auto& c : out) c = static_cast<uint8_t>(kAlphabet[below(sizeof kAlphabet - 1)]);
        return out;
    }
    std::mt19937_64 rng_;
};

TEST(RecordBatchReplay, ValidBatchesDecodeFullyThroughTheFuzzEntryPoint) {
    Generator gen(kSeed);
    for (int round = 0; round < 300; ++round) {
        std::vector<uint8_t> buf;
        int total = 0;
        const size_t batches = 1 + gen.below(3);
        for (size_t i = 0; i < batches; ++i) {
            int n = 0;
            auto b = gen.batch(n);
            total += n;
            buf.insert(buf.end(), b.begin(), b.end());
        }
        const auto s = exercise_record_batches(buf);
        ASSERT_EQ(s.batches_split, batches) << round;
        ASSERT_EQ(s.batches_valid, batches) << round;
        ASSERT_GE(s.records_decoded, static_cast<size_t>(total)) << round;
    }
}

TEST(RecordBatchReplay, MutatedAndRandomBatchesFailCleanly) {
    Generator gen(kSeed + 1);
    ExerciseStats total;
    for (int round = 0; round < kRounds; ++round) {
        int n = 0;
        auto buf = gen.batch(n);
        for (size_t m = 1 + gen.below(3); m > 0; --m) {
            gen.mutate(buf);
        }
        const auto s = exercise_record_batches(buf);  // aborts on a broken invariant
        total.batches_split += s.batches_split;
        total.batches_valid += s.batches_valid;
        total.batches_crc_fixed_valid += s.batches_crc_fixed_valid;
        total.records_decoded += s.records_decoded;
        total.decompressions_ok += s.decompressions_ok;
    }
    // The stream reaches past the CRC into the payload decoders, not just the first checks.
    EXPECT_GT(total.batches_split, 0u);
    EXPECT_GT(total.batches_crc_fixed_valid, 0u);
    EXPECT_GT(total.records_decoded, 0u);
}

}  // namespace
}  // namespace common::records::testing
