#include "broker/partition/producer_snapshot.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/errc.h"

namespace broker::partition {
namespace {

namespace fs = std::filesystem;

class TempDir {
  public:
    TempDir() {
        path_ = fs::temp_directory_path() /
                ("partition-snap-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TempDir() { fs::remove_all(path_); }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

ProducerStateTable sample() {
    ProducerStateTable t;
    for (int i = 0; i < 7; ++i) {
        t.record(ProducerBatch{.producer_id = 42,
                               .producer_epoch = 3,
                               .base_sequence = i * 2,
                               .last_offset_delta = 1,
                               .max_timestamp = 500 + i},
                 100 + i * 2);
    }
    t.record(ProducerBatch{.producer_id = 9, .producer_epoch = 0, .base_sequence = 0}, 200);
    return t;
}

TEST(ProducerSnapshot, EncodeDecodeRoundTripsEveryField) {
    const ProducerStateTable t = sample();
    auto loaded = decode_producer_snapshot(encode_producer_snapshot(t, 201));
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded.value().offset, 201);
    const auto& p = loaded.value().table.producers();
    ASSERT_EQ(p.size(), 2u);
    EXPECT_EQ(p.at(42).epoch, 3);
    ASSERT_EQ(p.at(42).batches.size(), ProducerStateTable::kRetainedBatches);
    EXPECT_EQ(p.at(42).batches.back().first_sequence, 12);
    EXPECT_EQ(p.at(42).batches.back().last_sequence, 13);
    EXPECT_EQ(p.at(42).batches.back().first_offset, 112);
    EXPECT_EQ(p.at(42).batches.back().last_offset, 113);
    EXPECT_EQ(p.at(42).batches.back().max_timestamp, 506);
    EXPECT_EQ(p.at(9).batches.front().first_offset, 200);
}

TEST(ProducerSnapshot, FlippedByteIsDetected) {
    auto bytes = encode_producer_snapshot(sample(), 1);
    bytes[10] ^= 0x40;
    auto loaded = decode_producer_snapshot(bytes);
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error(), common::Errc::CorruptData);
}

TEST(ProducerSnapshot, TruncatedImageIsRejected) {
    auto bytes = encode_producer_snapshot(sample(), 1);
    for (size_t n = 0; n < bytes.size(); n += 7) {
        EXPECT_FALSE(decode_producer_snapshot(std::span(bytes).first(n))) << n;
    }
}

TEST(ProducerSnapshot, LatestSnapshotNotBeyondTheLogIsLoadedAndOldOnesPruned) {
    TempDir dir;
    ASSERT_TRUE(write_producer_snapshot(dir.path(), sample(), 10));
    ASSERT_TRUE(write_producer_snapshot(dir.path(), sample(), 20));
    ASSERT_TRUE(write_producer_snapshot(dir.path(), ProducerStateTable{}, 30));
    size_t files = 0;
    for (const auto& e : fs::directory_iterator(dir.path())) files += e.is_regular_file();
    EXPECT_EQ(files, 2u);
    auto newest = load_latest_producer_snapshot(dir.path(), 100);
    ASSERT_TRUE(newest);
    EXPECT_EQ(newest->offset, 30);
    auto bounded = load_latest_producer_snapshot(dir.path(), 25);
    ASSERT_TRUE(bounded);
    EXPECT_EQ(bounded->offset, 20);
    EXPECT_EQ(bounded->table.producers().size(), 2u);
    EXPECT_FALSE(load_latest_producer_snapshot(dir.path(), 5));
}

TEST(ProducerSnapshot, CorruptNewestFallsBackToOlder) {
    TempDir dir;
    ASSERT_TRUE(write_producer_snapshot(dir.path(), sample(), 10));
    ASSERT_TRUE(write_producer_snapshot(dir.path(), sample(), 20));
    std::ofstream(dir.path() / "00000000000000000020.producer_snapshot", std::ios::trunc) << "x";
    auto loaded = load_latest_producer_snapshot(dir.path(), 100);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->offset, 10);
}

}  // namespace
}  // namespace broker::partition
