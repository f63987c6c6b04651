#pragma once
// Connection: one client TCP connection on one shard. Three coroutines share it: the reader
// reads `int32 size` frames ahead (up to kMaxReadAhead), the processor hands them to the
// FrameHandler strictly in order, and the writer sends finished responses in the same order,
// gathering all that are ready into one scatter/gather write. Include only from net/ and app/.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "broker/net/frame_handler.h"
#include "broker/net/metrics.h"
#include "common/asio.h"

namespace broker::net {

struct ConnectionOptions {
    int32_t max_frame_bytes = 104857600;  // socket.request.max.bytes
    std::string listener{};               // the listener's name (PLAINTEXT, PLAIN, ...)
};

// Lives on its socket's shard; kept alive by its own coroutines (shared_from_this) and
// referenced weakly by the TcpServer's per-shard set. handler and metrics outlive it.
class Connection : public std::enable_shared_from_this<Connection> {
  public:
    static constexpr size_t kMaxReadAhead = 16;

    Connection(common::asio::ip::tcp::socket socket, FrameHandler& handler, Metrics& metrics,
               ConnectionOptions options, ConnectionInfo info,
               std::function<void(uint64_t)> on_closed);
    ~Connection();

    // Spawns the coroutines on the socket's executor. Call on the connection's shard.
    void start();
    // Closes the socket and wakes every coroutine so they exit. Idempotent; on its shard only.
    void close();
    const ConnectionInfo& info() const { return info_; }

  private:
    // A one-shot wake-up for a coroutine of this connection (a timer that never expires).
    struct Signal {
        explicit Signal(common::asio::any_io_executor ex);
        common::awaitable<void> wait();
        void notify() { timer.cancel(); }
        common::asio::steady_timer timer;
    };

    static common::awaitable<void> read_loop(std::shared_ptr<Connection> self);
    static common::awaitable<void> process_loop(std::shared_ptr<Connection> self);
    static common::awaitable<void> write_loop(std::shared_ptr<Connection> self);
    common::awaitable<bool> read_frame();

    common::asio::ip::tcp::socket socket_;
    FrameHandler& handler_;
    Metrics& metrics_;
    ConnectionOptions options_;
    ConnectionInfo info_;
    std::function<void(uint64_t)> on_closed_;
    bool closed_ = false;
    bool draining_ = false;  // a request asked to close: write what is done, then close
    std::deque<std::vector<uint8_t>> requests_;   // read, not yet handled
    std::deque<std::vector<uint8_t>> responses_;  // handled, not yet written
    Signal request_ready_;
    Signal room_for_requests_;
    Signal response_ready_;
};

}  // namespace broker::net
