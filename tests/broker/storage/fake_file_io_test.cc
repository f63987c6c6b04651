#include <gtest/gtest.h>

#include "broker/storage/fake_file_io.h"

namespace broker::storage {
namespace {

std::vector<uint8_t> bytes(std::string_view s) {
    return {s.begin(), s.end()};
}

TEST(FakeFileIoTest, CrashLosesBytesAppendedAfterTheLastSync) {
    FakeFileIo io;
    ASSERT_TRUE(io.create_dirs("/d"));
    auto file = io.open("/d/f", OpenMode::ReadWriteCreate);
    ASSERT_TRUE(file);
    ASSERT_TRUE(file.value()->append(bytes("synced")));
    ASSERT_TRUE(file.value()->sync());
    ASSERT_TRUE(file.value()->append(bytes("-lost")));
    io.crash();
    EXPECT_EQ(io.contents("/d/f"), bytes("synced"));
}

TEST(FakeFileIoTest, TornCrashKeepsAPrefixOfTheUnsyncedTail) {
    FakeFileIo io;
    ASSERT_TRUE(io.create_dirs("/d"));
    auto file = io.open("/d/f", OpenMode::ReadWriteCreate);
    ASSERT_TRUE(file);
    ASSERT_TRUE(file.value()->append(bytes("ab")));
    ASSERT_TRUE(file.value()->sync());
    ASSERT_TRUE(file.value()->append(bytes("cdef")));
    io.crash_tearing("/d/f", 2);
    EXPECT_EQ(io.contents("/d/f"), bytes("abcd"));
}

TEST(FakeFileIoTest, ListsRenamesAndRemovesDirectories) {
    FakeFileIo io;
    ASSERT_TRUE(io.create_dirs("/d/p-0"));
    ASSERT_TRUE(io.open("/d/p-0/a.log", OpenMode::ReadWriteCreate));
    ASSERT_TRUE(io.rename("/d/p-0", "/d/p-0.deleted"));
    EXPECT_TRUE(io.exists("/d/p-0.deleted/a.log"));
    EXPECT_FALSE(io.exists("/d/p-0/a.log"));
    auto names = io.list_dir("/d");
    ASSERT_TRUE(names);
    EXPECT_EQ(names.value(), std::vector<std::string>{"p-0.deleted"});
    ASSERT_TRUE(io.remove_all("/d/p-0.deleted"));
    EXPECT_TRUE(io.list_dir("/d").value().empty());
}

TEST(FakeFileIoTest, FailingWritesReturnErrors) {
    FakeFileIo io;
    ASSERT_TRUE(io.create_dirs("/d"));
    auto file = io.open("/d/f", OpenMode::ReadWriteCreate);
    ASSERT_TRUE(file);
    io.set_fail_writes(true);
    EXPECT_FALSE(file.value()->append(bytes("x")));
    EXPECT_FALSE(file.value()->sync());
}

}  // namespace
}  // namespace broker::storage
