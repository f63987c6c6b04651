#include "tests/common/records/record_batch_exercise.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "common/protocol/records/batch_splitter.h"
#include "common/protocol/records/big_endian.h"
#include "common/protocol/records/compression.h"
#include "common/protocol/records/record.h"
#include "common/protocol/records/record_batch.h"
#include "common/protocol/records/record_iterator.h"

namespace common::records::testing {
namespace {

void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "record batch invariant broken: %s\n", what);
        std::abort();
    }
}

// Iterates one batch's records to the end or the first error; returns how many decoded.
size_t iterate(std::span<const uint8_t> batch) {
    auto it = RecordIterator::open(batch, kExerciseDecompressCap);
    if (!it) {
        return 0;
    }
    size_t n = 0;
    while (true) {
        auto next = it.value().next();
        if (!next || !next.value()) {
            break;
        }
        const Record& r = *next.value();
        check(r.offset_delta >= 0 && r.offset_delta <= it.value().header().last_offset_delta,
              "offset delta within the batch");
        for (const auto& h : r.headers) {
            check(h.key.size() <= batch.size() + kExerciseDecompressCap, "header key in bounds");
        }
        ++n;
    }
    check(n <= static_cast<size_t>(it.value().header().records_count), "record count respected");
    return n;
}

void exercise_one_batch(std::span<const uint8_t> batch, ExerciseStats& s) {
    auto header = parse_batch_header(batch);
    auto valid = validate_batch(batch);
    if (valid) {
        check(header.has_value(), "valid implies parsable");
        check(valid.value().size_bytes() == batch.size(), "valid batch fills its span");
        ++s.batches_valid;
    }
    s.records_decoded += iterate(batch);
}

// The same bytes with the length and CRC made right, so the fuzzer reaches the payload decoders
// without having to guess a CRC32C.
void exercise_crc_fixed(std::span<const uint8_t> data, ExerciseStats& s) {
    if (data.size() < kBatchHeaderSize || data.size() > (size_t{1} << 30)) {
        return;
    }
    std::vector<uint8_t> copy(data.begin(), data.end());
    copy[kMagicPos] = static_cast<uint8_t>(kMagicV2);
    be::store<int32_t>(copy.data() + kBatchLengthPos, static_cast<int32_t>(copy.size() - 12));
    be::store<uint32_t>(copy.data() + kCrcPos, compute_batch_crc(copy));
    if (validate_batch(copy)) {
        ++s.batches_crc_fixed_valid;
        // The in-place rewrites keep a valid batch valid.
        check(set_base_offset(copy, 1234).has_value(), "base offset rewrite");
        check(set_partition_leader_epoch(copy, 5).has_value(), "epoch rewrite");
        check(set_log_append_time(copy, 1700000000000).has_value(), "append time stamp");
        auto again = validate_batch(copy);
        check(again.has_value() && again.value().base_offset == 1234 &&
                  again.value().timestamp_type() == TimestampType::LogAppendTime,
              "rewritten batch still valid");
    }
    s.records_decoded += iterate(copy);
}

void exercise_codecs(std::span<const uint8_t> data, ExerciseStats& s) {
    if (data.empty()) {
        return;
    }
    const auto codec = static_cast<Codec>(data[0] % 5);
    auto out = decompress(codec, data.subspan(1), kExerciseDecompressCap);
    if (out) {
        check(out.value().size() <= kExerciseDecompressCap, "decompression respects the cap");
        ++s.decompressions_ok;
    }
}

void exercise_raw_records(std::span<const uint8_t> data, ExerciseStats& s) {
    size_t pos = 0;
    while (pos < data.size()) {
        const size_t before = pos;
        auto r = decode_record(data, pos);
        if (!r) {
            check(pos == before, "failed decode leaves the position");
            break;
        }
        check(pos > before && pos <= data.size(), "decode advances within bounds");
        ++s.records_decoded;
    }
}

}  // namespace

ExerciseStats exercise_record_batches(std::span<const uint8_t> data) {
    ExerciseStats s;
    auto split = split_batches(data);
    check(split.valid_bytes <= data.size(), "split within bounds");
    for (auto batch : split.batches) {
        ++s.batches_split;
        exercise_one_batch(batch, s);
    }
    exercise_crc_fixed(data, s);
    exercise_codecs(data, s);
    exercise_raw_records(data, s);
    return s;
}

}  // namespace common::records::testing
