#include <gtest/gtest.h>

#include "broker/storage/fake_file_io.h"
#include "broker/storage/offset_index.h"
#include "broker/storage/time_index.h"

namespace broker::storage {
namespace {

class IndexTest : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_TRUE(io_.create_dirs("/d")); }
    FakeFileIo io_;
};

TEST_F(IndexTest, OffsetLookupFindsTheLastEntryAtOrBelowTheOffset) {
    auto index = OffsetIndex::open(io_, "/d/x.index", 100);
    ASSERT_TRUE(index);
    ASSERT_TRUE(index.value().append(110, 4000));
    ASSERT_TRUE(index.value().append(120, 8000));
    EXPECT_FALSE(index.value().lookup(105).has_value());
    EXPECT_EQ(index.value().lookup(110)->position, 4000u);
    EXPECT_EQ(index.value().lookup(119)->position, 4000u);
    EXPECT_EQ(index.value().lookup(500)->position, 8000u);
}

TEST_F(IndexTest, OffsetIndexReloadsWhatWasAppended) {
    {
        auto index = OffsetIndex::open(io_, "/d/x.index", 100);
        ASSERT_TRUE(index);
        ASSERT_TRUE(index.value().append(110, 4000));
        ASSERT_TRUE(index.value().append(120, 8000));
    }
    auto reopened = OffsetIndex::open(io_, "/d/x.index", 100);
    ASSERT_TRUE(reopened);
    ASSERT_EQ(reopened.value().entries().size(), 2u);
    EXPECT_EQ(reopened.value().entries()[1].offset, 120);
    EXPECT_TRUE(reopened.value().intact(9000));
    EXPECT_FALSE(reopened.value().intact(8000));  // a position past the log's end
}

TEST_F(IndexTest, OffsetIndexWithAPartialEntryIsNotIntact) {
    {
        auto index = OffsetIndex::open(io_, "/d/x.index", 0);
        ASSERT_TRUE(index);
        ASSERT_TRUE(index.value().append(10, 100));
    }
    auto file = io_.open("/d/x.index", OpenMode::ReadWrite);
    ASSERT_TRUE(file);
    std::vector<uint8_t> half{0, 0, 0};
    ASSERT_TRUE(file.value()->append(half));
    auto reopened = OffsetIndex::open(io_, "/d/x.index", 0);
    ASSERT_TRUE(reopened);
    EXPECT_FALSE(reopened.value().intact(1000));
}

TEST_F(IndexTest, OffsetIndexTruncationDropsEntriesAtAndAfterTheOffset) {
    auto index = OffsetIndex::open(io_, "/d/x.index", 0);
    ASSERT_TRUE(index);
    ASSERT_TRUE(index.value().append(10, 100));
    ASSERT_TRUE(index.value().append(20, 200));
    ASSERT_TRUE(index.value().append(30, 300));
    ASSERT_TRUE(index.value().truncate_from(20));
    EXPECT_EQ(index.value().entries().size(), 1u);
    EXPECT_EQ(io_.contents("/d/x.index").size(), OffsetIndex::kEntrySize);
}

TEST_F(IndexTest, TimeIndexKeepsOnlyGrowingTimestamps) {
    auto index = TimeIndex::open(io_, "/d/x.timeindex", 0);
    ASSERT_TRUE(index);
    ASSERT_TRUE(index.value().append(1000, 5));
    ASSERT_TRUE(index.value().append(900, 8));  // older: ignored
    ASSERT_TRUE(index.value().append(2000, 10));
    EXPECT_EQ(index.value().last()->offset, 10);
    EXPECT_FALSE(index.value().lookup_before(1000).has_value());
    EXPECT_EQ(index.value().lookup_before(1500)->offset, 5);
    EXPECT_EQ(index.value().lookup_before(5000)->offset, 10);
    EXPECT_TRUE(index.value().intact(11));
    EXPECT_FALSE(index.value().intact(10));
}

}  // namespace
}  // namespace broker::storage
