// Prints rough append throughput of broker::storage::Log on real files: without flushing, with a
// flush (fdatasync) after every append, and with one flush per group of appends (group commit).
// A measuring program, not a test: it never fails on speed.
//   append_throughput [dir] [total MiB] [batch KiB]

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "broker/storage/log.h"
#include "broker/storage/posix_file_io.h"
#include "common/protocol/records/record_batch_builder.h"

namespace {

using namespace broker::storage;

std::vector<uint8_t> make_batch(size_t batch_bytes) {
    common::records::RecordBatchBuilder builder(common::records::BatchOptions{});
    const size_t value = 200;
    for (size_t i = 0; i < batch_bytes / (value + 20); ++i) {
        builder.add(std::string("key") + std::to_string(i), std::string(value, 'x'), 1000);
    }
    return builder.build().value();
}

// Appends `count` copies of `batch`, flushing after every `flush_every` appends (0: never).
double run(const std::string& dir, const std::vector<uint8_t>& batch, int count, int flush_every) {
    std::filesystem::remove_all(dir);
    PosixFileIo io;
    auto log = Log::open(io, dir, LogConfig{}).value();
    std::vector<uint8_t> copy;
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < count; ++i) {
        copy = batch;
        if (!log->append(copy)) return -1;
        if (flush_every > 0 && (i + 1) % flush_every == 0 && !log->flush()) return -1;
    }
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (flush_every == 0) {
        // Also read everything back (from the page cache) in 1 MiB fetches, copying the bytes.
        auto read_start = std::chrono::steady_clock::now();
        uint64_t bytes = 0;
        for (int64_t offset = 0; offset < log->log_end_offset();) {
            auto read = log->read(offset, 1 << 20, log->log_end_offset());
            if (!read || !read.value().copy_bytes()) return -1;
            bytes += read.value().size;
            offset = read.value().next_offset;
        }
        auto read_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - read_start).count();
        std::printf("read back (1 MiB fetches, copied): %8.1f MB/s\n",
                    static_cast<double>(bytes) / read_seconds / (1024.0 * 1024.0));
    }
    std::filesystem::remove_all(dir);
    return static_cast<double>(batch.size()) * count / seconds / (1024.0 * 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir = argc > 1 ? argv[1] : "/tmp/tributary-append-throughput";
    int total_mib = argc > 2 ? std::stoi(argv[2]) : 256;
    int batch_kib = argc > 3 ? std::stoi(argv[3]) : 16;
    auto batch = make_batch(static_cast<size_t>(batch_kib) * 1024);
    int count = static_cast<int>(static_cast<int64_t>(total_mib) * 1024 * 1024 /
                                 static_cast<int64_t>(batch.size()));
    std::printf("batch %zu bytes, %d appends (%d MiB) in %s\n", batch.size(), count, total_mib,
                dir.c_str());
    std::printf("no flush:             %8.1f MB/s\n", run(dir, batch, count, 0));
    int synced = std::max(1, count / 16);
    std::printf("flush every append:   %8.1f MB/s  (%d appends)\n", run(dir, batch, synced, 1),
                synced);
    std::printf("flush every 16:       %8.1f MB/s\n", run(dir, batch, count / 4, 16));
    return 0;
}
