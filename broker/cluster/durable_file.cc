#include "broker/cluster/durable_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "common/errc.h"

namespace broker::cluster {

common::Result<void> write_file_durably(const std::filesystem::path& path,
                                        const std::string& data) {
    auto tmp = path;
    tmp += ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return common::Errc::IoError;
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            ::close(fd);
            return common::Errc::IoError;
        }
        done += static_cast<size_t>(n);
    }
    bool ok = ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) return common::Errc::IoError;
    int dir = ::open(path.parent_path().empty() ? "." : path.parent_path().c_str(),
                     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return common::Errc::IoError;
    ok = ::fsync(dir) == 0;
    ::close(dir);
    return ok ? common::ok() : common::Result<void>(common::Errc::IoError);
}

common::Result<std::string> read_whole_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        return ec ? common::Errc::IoError : common::Errc::NotFound;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return common::Errc::IoError;
    std::stringstream text;
    text << in.rdbuf();
    if (in.bad()) return common::Errc::IoError;
    return text.str();
}

}  // namespace broker::cluster
