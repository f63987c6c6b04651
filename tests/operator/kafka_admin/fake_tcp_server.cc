#include "tests/operator/kafka_admin/fake_tcp_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kop::testing {

FakeTcpServer::FakeTcpServer(const std::string& host, Mode mode, std::vector<uint8_t> reply,
                             int backlog)
    : host_(host), mode_(mode), reply_(std::move(reply)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
    socklen_t len = sizeof addr;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        listen(fd_, backlog) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        return;
    }
    port_ = ntohs(addr.sin_port);
    if (mode_ != Mode::Silent) thread_ = std::thread([this] { serve(); });
}

FakeTcpServer::~FakeTcpServer() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) close(fd_);
}

void FakeTcpServer::serve() {
    while (!stopping_) {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, 20) <= 0) continue;
        int conn = accept(fd_, nullptr, nullptr);
        if (conn < 0) continue;
        if (mode_ == Mode::Reply) {
            // Read one request (whatever arrives first) and answer with the fixed bytes.
            char buf[4096];
            pollfd c{conn, POLLIN, 0};
            if (poll(&c, 1, 5000) > 0 && read(conn, buf, sizeof buf) > 0) {
                (void)!write(conn, reply_.data(), reply_.size());
            }
        }
        close(conn);
    }
}

}  // namespace kop::testing
