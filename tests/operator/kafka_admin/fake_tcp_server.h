#pragma once
// FakeTcpServer: a loopback TCP listener that misbehaves on purpose, for unit tests of the admin
// client's transport: accept and say nothing, close at once, or answer every request with fixed
// bytes. Owns one thread (joined in the destructor) and its sockets.

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace kop::testing {

class FakeTcpServer {
  public:
    enum class Mode {
        Silent,       // connections are accepted by the kernel and never answered
        CloseAtOnce,  // each connection is accepted and closed
        Reply,        // each request frame is answered with `reply` (raw bytes, size included)
    };

    // Listens on host:0 (backlog `backlog`); Silent mode starts no thread and never accepts.
    FakeTcpServer(const std::string& host, Mode mode, std::vector<uint8_t> reply = {},
                  int backlog = 16);
    ~FakeTcpServer();
    FakeTcpServer(const FakeTcpServer&) = delete;
    FakeTcpServer& operator=(const FakeTcpServer&) = delete;

    std::string address() const { return host_ + ":" + std::to_string(port_); }
    uint16_t port() const { return port_; }

  private:
    void serve();

    std::string host_;
    Mode mode_;
    std::vector<uint8_t> reply_;
    int fd_ = -1;
    uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace kop::testing
