#include "broker/partition/producer_id_allocator.h"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <string>

#include "common/errc.h"

namespace broker::partition {
namespace {

constexpr const char* kFileName = "producer_id_block";

common::Result<void> persist(const std::filesystem::path& dir, int64_t block_end) {
    const std::filesystem::path path = dir / kFileName;
    const std::filesystem::path tmp = dir / (std::string(kFileName) + ".tmp");
    const std::string text = std::to_string(block_end) + "\n";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return common::Errc::IoError;
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                    ::fdatasync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) return common::Errc::IoError;
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return common::ok();
}

}  // namespace

common::Result<ProducerIdAllocator> ProducerIdAllocator::open(std::filesystem::path dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return common::Errc::IoError;
    int64_t next = 0;
    std::ifstream in(dir / kFileName);
    if (in) {
        std::string text;
        std::getline(in, text);
        auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), next);
        if (err != std::errc{} || end != text.data() + text.size() || next < 0) {
            return common::Errc::Malformed;
        }
    }
    return ProducerIdAllocator(std::move(dir), next);
}

common::Result<int64_t> cluster_producer_id(int64_t local, int32_t node_id) {
    if (local < 0 || node_id < 0) return common::Errc::InvalidArgument;
    if (local >= (int64_t{1} << 32)) return common::Errc::TooLarge;
    return local * kProducerIdNodeStride + node_id;
}

common::Result<int64_t> ProducerIdAllocator::allocate() {
    if (next_ == block_end_) {
        TRIBUTARY_TRY(persist(dir_, block_end_ + kBlockSize));
        block_end_ += kBlockSize;
    }
    return next_++;
}

}  // namespace broker::partition
