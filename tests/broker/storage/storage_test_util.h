#pragma once
// Helpers for the storage tests: record batches built with the records library, and a
// per-test temporary directory removed at the end of the test.

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/protocol/records/record_batch_builder.h"

namespace broker::storage::testing {

// A valid uncompressed batch of `records` records with timestamps `timestamp`,
// `timestamp + 1`, ...; each value is `value_size` bytes. Base offset 0 (the log assigns it).
inline std::vector<uint8_t> make_batch(int records, int64_t timestamp, size_t value_size = 10) {
    common::records::RecordBatchBuilder builder(common::records::BatchOptions{});
    for (int i = 0; i < records; ++i) {
        builder.add(std::string("k") + std::to_string(i), std::string(value_size, 'v'),
                    timestamp + i);
    }
    auto built = builder.build();
    EXPECT_TRUE(built.has_value());
    return built.has_value() ? built.value() : std::vector<uint8_t>{};
}

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
  public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "storage-XXXXXX").string();
        path_ = ::mkdtemp(pattern.data());
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

}  // namespace broker::storage::testing
