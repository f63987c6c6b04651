#include "broker/partition/producer_id_allocator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "common/errc.h"

namespace broker::partition {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir() {
    fs::path p = fs::temp_directory_path() /
                 ("pid-alloc-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(p);
    return p;
}

TEST(ProducerIdAllocator, IdsNeverRepeatAcrossReopen) {
    const fs::path dir = fresh_dir();
    std::set<int64_t> seen;
    for (int round = 0; round < 3; ++round) {
        auto alloc = ProducerIdAllocator::open(dir);
        ASSERT_TRUE(alloc);
        for (int i = 0; i < 5; ++i) {
            auto id = alloc.value().allocate();
            ASSERT_TRUE(id);
            EXPECT_TRUE(seen.insert(id.value()).second) << id.value();
        }
    }
    fs::remove_all(dir);
}

TEST(ProducerIdAllocator, CrossesBlockBoundaries) {
    const fs::path dir = fresh_dir();
    auto alloc = ProducerIdAllocator::open(dir);
    ASSERT_TRUE(alloc);
    int64_t last = -1;
    for (int64_t i = 0; i < ProducerIdAllocator::kBlockSize + 3; ++i) {
        auto id = alloc.value().allocate();
        ASSERT_TRUE(id);
        EXPECT_EQ(id.value(), last + 1);
        last = id.value();
    }
    auto reopened = ProducerIdAllocator::open(dir);
    ASSERT_TRUE(reopened);
    EXPECT_EQ(reopened.value().allocate().value(), 2 * ProducerIdAllocator::kBlockSize);
    fs::remove_all(dir);
}

TEST(ProducerIdAllocator, GarbageBlockFileIsAnError) {
    const fs::path dir = fresh_dir();
    fs::create_directories(dir);
    std::ofstream(dir / "producer_id_block") << "not a number\n";
    auto alloc = ProducerIdAllocator::open(dir);
    ASSERT_FALSE(alloc);
    EXPECT_EQ(alloc.error(), common::Errc::Malformed);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace broker::partition
