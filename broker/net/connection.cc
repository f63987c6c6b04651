#include "broker/net/connection.h"

#include <array>

#include "common/log.h"

namespace broker::net {

namespace asio = common::asio;
using common::awaitable;

namespace {
auto& net_log() {
    static auto logger = common::log::get("net");
    return logger;
}
}  // namespace

Connection::Signal::Signal(asio::any_io_executor ex) : timer(ex) {
    timer.expires_at(asio::steady_timer::time_point::max());
}

awaitable<void> Connection::Signal::wait() {
    boost::system::error_code ec;
    timer.expires_at(asio::steady_timer::time_point::max());
    co_await timer.async_wait(asio::redirect_error(common::use_awaitable, ec));
}

Connection::Connection(asio::ip::tcp::socket socket, FrameHandler& handler, Metrics& metrics,
                       ConnectionOptions options, ConnectionInfo info,
                       std::function<void(uint64_t)> on_closed)
    : socket_(std::move(socket)),
      handler_(handler),
      metrics_(metrics),
      options_(options),
      info_(std::move(info)),
      on_closed_(std::move(on_closed)),
      request_ready_(socket_.get_executor()),
      room_for_requests_(socket_.get_executor()),
      response_ready_(socket_.get_executor()) {
    metrics_.local().connections.fetch_add(1, std::memory_order_relaxed);
    metrics_.local().connections_total.fetch_add(1, std::memory_order_relaxed);
}

Connection::~Connection() {
    metrics_.local().connections.fetch_sub(1, std::memory_order_relaxed);
}

void Connection::start() {
    boost::system::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    auto ex = socket_.get_executor();
    asio::co_spawn(ex, read_loop(shared_from_this()), asio::detached);
    asio::co_spawn(ex, process_loop(shared_from_this()), asio::detached);
    asio::co_spawn(ex, write_loop(shared_from_this()), asio::detached);
}

void Connection::close() {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    request_ready_.notify();
    room_for_requests_.notify();
    response_ready_.notify();
    if (on_closed_) on_closed_(info_.id);
}

// Reads one frame into requests_. Returns false when the connection must close.
awaitable<bool> Connection::read_frame() {
    boost::system::error_code ec;
    std::array<uint8_t, 4> size_bytes{};
    co_await asio::async_read(socket_, asio::buffer(size_bytes),
                              asio::redirect_error(common::use_awaitable, ec));
    if (ec) co_return false;  // peer closed or we closed: not worth a log line
    int32_t size =
        static_cast<int32_t>((uint32_t{size_bytes[0]} << 24) | (uint32_t{size_bytes[1]} << 16) |
                             (uint32_t{size_bytes[2]} << 8) | uint32_t{size_bytes[3]});
    if (size <= 0 || size > options_.max_frame_bytes) {
        net_log()->warn("closing connection from {}: frame size {} outside [1, {}]", info_.peer,
                        size, options_.max_frame_bytes);
        metrics_.local().frames_rejected.fetch_add(1, std::memory_order_relaxed);
        co_return false;
    }
    std::vector<uint8_t> frame(static_cast<size_t>(size));
    co_await asio::async_read(socket_, asio::buffer(frame),
                              asio::redirect_error(common::use_awaitable, ec));
    if (ec) co_return false;
    metrics_.local().bytes_in.fetch_add(4 + frame.size(), std::memory_order_relaxed);
    requests_.push_back(std::move(frame));
    request_ready_.notify();
    co_return true;
}

awaitable<void> Connection::read_loop(std::shared_ptr<Connection> self) {
    while (!self->closed_ && !self->draining_) {
        if (self->requests_.size() >= kMaxReadAhead) {
            co_await self->room_for_requests_.wait();
            continue;
        }
        bool ok = co_await self->read_frame();  // (g++ 12: keep co_await out of conditions)
        if (!ok) {
            self->close();
            break;
        }
    }
}

awaitable<void> Connection::process_loop(std::shared_ptr<Connection> self) {
    while (!self->closed_) {
        if (self->requests_.empty()) {
            co_await self->request_ready_.wait();
            continue;
        }
        std::vector<uint8_t> frame = std::move(self->requests_.front());
        self->requests_.pop_front();
        self->room_for_requests_.notify();
        Reply reply = co_await self->handler_.handle_frame(std::move(frame), self->info_);
        if (self->closed_) break;
        if (reply.action == Reply::Action::Close) {
            // The handler logged why. Responses already finished are still written, then the
            // writer closes the connection.
            self->metrics_.local().frames_rejected.fetch_add(1, std::memory_order_relaxed);
            self->draining_ = true;
            self->response_ready_.notify();
            co_return;
        }
        if (reply.action == Reply::Action::Respond) {
            self->responses_.push_back(std::move(reply.bytes));
            self->response_ready_.notify();
        }
    }
    self->close();
}

awaitable<void> Connection::write_loop(std::shared_ptr<Connection> self) {
    std::vector<std::array<uint8_t, 4>> sizes;
    std::vector<std::vector<uint8_t>> batch;
    std::vector<asio::const_buffer> buffers;
    while (!self->closed_) {
        if (self->responses_.empty()) {
            if (self->draining_) break;
            co_await self->response_ready_.wait();
            continue;
        }
        batch.clear();
        sizes.clear();
        buffers.clear();
        while (!self->responses_.empty()) {
            batch.push_back(std::move(self->responses_.front()));
            self->responses_.pop_front();
        }
        sizes.resize(batch.size());
        size_t total = 0;
        for (size_t i = 0; i < batch.size(); ++i) {
            auto n = static_cast<uint32_t>(batch[i].size());
            sizes[i] = {static_cast<uint8_t>(n >> 24), static_cast<uint8_t>(n >> 16),
                        static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n)};
            buffers.emplace_back(sizes[i].data(), 4);
            buffers.emplace_back(batch[i].data(), batch[i].size());
            total += 4 + n;
        }
        boost::system::error_code ec;
        co_await asio::async_write(self->socket_, buffers,
                                   asio::redirect_error(common::use_awaitable, ec));
        if (ec) break;
        self->metrics_.local().bytes_out.fetch_add(total, std::memory_order_relaxed);
    }
    self->close();
}

}  // namespace broker::net
