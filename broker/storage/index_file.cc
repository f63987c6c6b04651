#include "broker/storage/index_file.h"

namespace broker::storage {

Result<IndexFile> IndexFile::open(FileIo& io, const std::string& path, size_t entry_size) {
    TRIBUTARY_TRY(file, io.open(path, OpenMode::ReadWriteCreate));
    return IndexFile(std::move(file), path, entry_size);
}

Result<std::vector<uint8_t>> IndexFile::read_all(bool& torn) const {
    std::vector<uint8_t> bytes(file_->size());
    TRIBUTARY_TRY(n, file_->pread(0, bytes));
    bytes.resize(n);
    torn = bytes.size() % entry_size_ != 0;
    bytes.resize(bytes.size() - bytes.size() % entry_size_);
    return bytes;
}

Result<void> IndexFile::append(std::span<const uint8_t> entry) {
    return file_->append(entry);
}

Result<void> IndexFile::truncate_entries(size_t count) {
    return file_->truncate(static_cast<uint64_t>(count * entry_size_));
}

Result<void> IndexFile::sync() {
    return file_->sync();
}

}  // namespace broker::storage
