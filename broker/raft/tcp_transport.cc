#include "broker/raft/tcp_transport.h"

#include <algorithm>
#include <array>
#include <deque>
#include <list>
#include <map>
#include <random>

#include "common/asio.h"
#include "common/log.h"

namespace broker::raft {

namespace asio = common::asio;
using asio::ip::tcp;
using common::awaitable;
using common::NodeId;

namespace {

auto& raft_log() {
    static auto logger = common::log::get("raft");
    return logger;
}

auto use_ec(boost::system::error_code& ec) {
    return asio::redirect_error(common::use_awaitable, ec);
}

// A wake-up for coroutines waiting on this thread: a timer that never expires, cancelled to
// notify. Callers check their condition before waiting (single-threaded, so nothing is missed).
struct Signal {
    explicit Signal(asio::io_context& io) : timer(io) {}
    awaitable<void> wait() {
        boost::system::error_code ec;
        timer.expires_at(asio::steady_timer::time_point::max());
        co_await timer.async_wait(use_ec(ec));
    }
    void notify() { timer.cancel(); }
    asio::steady_timer timer;
};

}  // namespace

// One TCP connection to one peer. Owned by its coroutines and by its Peer while current.
struct Conn {
    Conn(tcp::socket s, std::string what)
        : socket(std::move(s)), description(std::move(what)), hello_timer(socket.get_executor()) {}
    tcp::socket socket;
    std::string description;         // for log lines
    asio::steady_timer hello_timer;  // accepted connections: closes them if Hello never comes
    NodeId peer{-1};
    bool closed = false;
};

// What the transport knows of one peer: address, send queue, current connection.
struct Peer {
    Peer(asio::io_context& io, NodeId peer_id)
        : id(peer_id), wake(io), conn_gone(io), backoff(io) {}
    NodeId id;
    std::string host;
    uint16_t port = 0;
    bool has_address = false;
    bool removed = false;
    bool dialing = false;
    std::deque<std::vector<uint8_t>> queue;
    size_t queued_bytes = 0;
    std::shared_ptr<Conn> conn;  // set once its Hello is done
    Signal wake;                 // the writer: frames queued or connection changed
    Signal conn_gone;            // the dialer: the connection closed
    asio::steady_timer backoff;
};

struct TcpTransport::Impl {
    Impl(asio::io_context& io_context, NodeId self_id, TcpTransportOptions opts)
        : io(io_context),
          self(self_id),
          options(opts),
          rng(static_cast<uint32_t>(self_id.value()) * 2654435761u + 1) {}

    asio::io_context& io;
    NodeId self;
    TcpTransportOptions options;
    FrameSink sink;
    TcpTransportStats stats;
    std::unique_ptr<tcp::acceptor> acceptor;
    std::map<NodeId, std::shared_ptr<Peer>> peers;
    std::list<std::weak_ptr<Conn>> conns;  // every open socket, so stop() can close them
    std::minstd_rand rng;
    bool stopped = false;

    std::shared_ptr<Peer> peer(NodeId id) {
        auto& p = peers[id];
        if (!p) p = std::make_shared<Peer>(io, id);
        return p;
    }

    void track(const std::shared_ptr<Conn>& c) {
        std::erase_if(conns, [](const auto& w) { return w.expired(); });
        conns.push_back(c);
    }

    void close(const std::shared_ptr<Conn>& c, const std::shared_ptr<Peer>& p) {
        if (c->closed) return;
        c->closed = true;
        boost::system::error_code ignored;
        c->socket.shutdown(tcp::socket::shutdown_both, ignored);
        c->socket.close(ignored);
        c->hello_timer.cancel();
        if (p && p->conn == c) {
            p->conn.reset();
            p->wake.notify();
            p->conn_gone.notify();
        }
    }

    // Makes `c` the peer's connection (closing an older one) and starts its reader and writer.
    void attach(const std::shared_ptr<Impl>& self_ptr, const std::shared_ptr<Peer>& p,
                const std::shared_ptr<Conn>& c);

    std::chrono::milliseconds next_backoff(std::chrono::milliseconds current) {
        auto doubled = std::min(options.reconnect_max, current * 2);
        auto half = std::max<int64_t>(1, doubled.count() / 2);
        return std::chrono::milliseconds(half + static_cast<int64_t>(rng() % half));
    }

    static awaitable<void> accept_loop(std::shared_ptr<Impl> self);
    static awaitable<void> handshake_in(std::shared_ptr<Impl> self, std::shared_ptr<Conn> c);
    static awaitable<void> hello_watchdog(std::shared_ptr<Impl> self, std::shared_ptr<Conn> c);
    static awaitable<void> dial_loop(std::shared_ptr<Impl> self, std::shared_ptr<Peer> p);
    static awaitable<bool> dial_once(std::shared_ptr<Impl> self, std::shared_ptr<Peer> p);
    static awaitable<void> read_loop(std::shared_ptr<Impl> self, std::shared_ptr<Peer> p,
                                     std::shared_ptr<Conn> c);
    static awaitable<void> write_loop(std::shared_ptr<Impl> self, std::shared_ptr<Peer> p,
                                      std::shared_ptr<Conn> c);
    // Reads one frame body into `body`; false (after logging when the input was bad) on failure.
    static awaitable<bool> read_frame(Impl& self, Conn& c, std::vector<uint8_t>& body);
};

void TcpTransport::Impl::attach(const std::shared_ptr<Impl>& self_ptr,
                                const std::shared_ptr<Peer>& p, const std::shared_ptr<Conn>& c) {
    if (p->conn) close(p->conn, p);
    c->peer = p->id;
    c->hello_timer.cancel();
    p->conn = c;
    ++stats.connections_opened;
    raft_log()->info("node {}: connected to node {} ({})", self.value(), p->id.value(),
                     c->description);
    asio::co_spawn(io, read_loop(self_ptr, p, c), asio::detached);
    asio::co_spawn(io, write_loop(self_ptr, p, c), asio::detached);
}

awaitable<bool> TcpTransport::Impl::read_frame(Impl& self, Conn& c, std::vector<uint8_t>& body) {
    boost::system::error_code ec;
    std::array<uint8_t, kFrameSizeBytes> size_field{};
    co_await asio::async_read(c.socket, asio::buffer(size_field), use_ec(ec));
    if (ec) co_return false;  // closed by either side: not worth a log line
    uint32_t size = decode_frame_size(size_field);
    if (size < kFrameHeaderBytes || size > self.options.max_frame_bytes) {
        raft_log()->warn("node {}: closing connection {}: frame size {} outside [{}, {}]",
                         self.self.value(), c.description, size, kFrameHeaderBytes,
                         self.options.max_frame_bytes);
        ++self.stats.connections_closed_bad_input;
        co_return false;
    }
    body.resize(size);
    co_await asio::async_read(c.socket, asio::buffer(body), use_ec(ec));
    co_return !ec;
}

awaitable<void> TcpTransport::Impl::accept_loop(std::shared_ptr<Impl> self) {
    while (!self->stopped) {
        boost::system::error_code ec;
        tcp::socket socket = co_await self->acceptor->async_accept(use_ec(ec));
        if (self->stopped) break;
        if (ec) continue;
        socket.set_option(tcp::no_delay(true), ec);
        auto remote = socket.remote_endpoint(ec);
        auto c = std::make_shared<Conn>(
            std::move(socket),
            ec ? std::string("inbound")
               : fmt::format("from {}:{}", remote.address().to_string(), remote.port()));
        self->track(c);
        asio::co_spawn(self->io, handshake_in(self, c), asio::detached);
        asio::co_spawn(self->io, hello_watchdog(self, c), asio::detached);
    }
}

// Closes an accepted connection that has not said Hello in time.
awaitable<void> TcpTransport::Impl::hello_watchdog(std::shared_ptr<Impl> self,
                                                   std::shared_ptr<Conn> c) {
    c->hello_timer.expires_after(self->options.hello_timeout);
    boost::system::error_code ec;
    co_await c->hello_timer.async_wait(use_ec(ec));
    if (c->closed || c->peer != NodeId(-1)) co_return;
    raft_log()->warn("node {}: closing connection {}: no hello within {} ms", self->self.value(),
                     c->description, self->options.hello_timeout.count());
    ++self->stats.connections_closed_bad_input;
    self->close(c, nullptr);
}

awaitable<void> TcpTransport::Impl::handshake_in(std::shared_ptr<Impl> self,
                                                 std::shared_ptr<Conn> c) {
    std::vector<uint8_t> body;
    bool ok = co_await read_frame(*self, *c, body);
    if (!ok || self->stopped) {
        self->close(c, nullptr);
        co_return;
    }
    auto frame = decode_frame_body(body);
    auto hello = frame ? decode_hello(frame.value()) : common::Result<Hello>(frame.error());
    if (!hello || hello.value().to != self->self || hello.value().from == self->self) {
        raft_log()->warn("node {}: closing connection {}: bad hello ({})", self->self.value(),
                         c->description,
                         hello ? fmt::format("from node {} to node {}", hello.value().from.value(),
                                             hello.value().to.value())
                               : hello.error().message());
        ++self->stats.connections_closed_bad_input;
        self->close(c, nullptr);
        co_return;
    }
    auto p = self->peer(hello.value().from);
    if (p->removed) p->removed = false;
    self->attach(self, p, c);
}

awaitable<bool> TcpTransport::Impl::dial_once(std::shared_ptr<Impl> self, std::shared_ptr<Peer> p) {
    boost::system::error_code ec;
    tcp::resolver resolver(self->io);
    auto endpoints = co_await resolver.async_resolve(p->host, std::to_string(p->port), use_ec(ec));
    if (ec || self->stopped || p->removed) co_return false;
    tcp::socket socket(self->io);
    co_await asio::async_connect(socket, endpoints, use_ec(ec));
    if (ec || self->stopped || p->removed) co_return false;
    socket.set_option(tcp::no_delay(true), ec);
    auto c = std::make_shared<Conn>(std::move(socket), fmt::format("to {}:{}", p->host, p->port));
    self->track(c);
    auto hello = make_hello_frame(Hello{self->self, p->id});
    co_await asio::async_write(c->socket, asio::buffer(hello), use_ec(ec));
    if (ec || self->stopped || p->removed) {
        self->close(c, nullptr);
        co_return false;
    }
    self->attach(self, p, c);
    co_return true;
}

awaitable<void> TcpTransport::Impl::dial_loop(std::shared_ptr<Impl> self, std::shared_ptr<Peer> p) {
    auto delay = self->options.reconnect_min;
    while (!self->stopped && !p->removed) {
        if (p->conn) {
            co_await p->conn_gone.wait();
            continue;
        }
        bool ok = co_await dial_once(self, p);
        if (ok) {
            delay = self->options.reconnect_min;
            continue;
        }
        if (self->stopped || p->removed) break;
        boost::system::error_code ec;
        p->backoff.expires_after(delay);
        co_await p->backoff.async_wait(use_ec(ec));
        delay = self->next_backoff(delay);
    }
    p->dialing = false;
}

awaitable<void> TcpTransport::Impl::read_loop(std::shared_ptr<Impl> self, std::shared_ptr<Peer> p,
                                              std::shared_ptr<Conn> c) {
    std::vector<uint8_t> body;
    while (!c->closed) {
        bool ok = co_await read_frame(*self, *c, body);
        if (!ok || c->closed) break;
        auto frame = decode_frame_body(body);
        bool accepted = frame && frame.value().header.api != RpcApi::Hello && self->sink &&
                        self->sink(p->id, frame.value());
        if (!accepted) {
            raft_log()->warn("node {}: closing connection {} of node {}: malformed frame ({})",
                             self->self.value(), c->description, p->id.value(),
                             frame ? "refused by the receiver" : frame.error().message());
            ++self->stats.connections_closed_bad_input;
            break;
        }
        ++self->stats.frames_received;
    }
    self->close(c, p);
}

awaitable<void> TcpTransport::Impl::write_loop(std::shared_ptr<Impl> self, std::shared_ptr<Peer> p,
                                               std::shared_ptr<Conn> c) {
    std::vector<std::vector<uint8_t>> batch;
    std::vector<asio::const_buffer> buffers;
    while (!c->closed && p->conn == c) {
        if (p->queue.empty()) {
            co_await p->wake.wait();
            continue;
        }
        batch.clear();
        buffers.clear();
        while (!p->queue.empty()) {
            batch.push_back(std::move(p->queue.front()));
            p->queue.pop_front();
        }
        p->queued_bytes = 0;
        for (const auto& f : batch) buffers.emplace_back(f.data(), f.size());
        boost::system::error_code ec;
        co_await asio::async_write(c->socket, buffers, use_ec(ec));
        if (ec) break;
        self->stats.frames_sent += batch.size();
    }
    self->close(c, p);
}

TcpTransport::TcpTransport(asio::io_context& io, NodeId self, TcpTransportOptions options)
    : impl_(std::make_shared<Impl>(io, self, options)) {}

TcpTransport::~TcpTransport() {
    stop();
}

NodeId TcpTransport::self() const {
    return impl_->self;
}

common::Result<uint16_t> TcpTransport::listen(const std::string& host, uint16_t port) {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) return ec;
    auto acceptor = std::make_unique<tcp::acceptor>(impl_->io);
    tcp::endpoint endpoint(address, port);
    if (acceptor->open(endpoint.protocol(), ec); ec) return ec;
    if (acceptor->set_option(tcp::acceptor::reuse_address(true), ec); ec) return ec;
    if (acceptor->bind(endpoint, ec); ec) return ec;
    if (acceptor->listen(asio::socket_base::max_listen_connections, ec); ec) return ec;
    uint16_t bound = acceptor->local_endpoint().port();
    impl_->acceptor = std::move(acceptor);
    asio::co_spawn(impl_->io, Impl::accept_loop(impl_), asio::detached);
    return bound;
}

void TcpTransport::set_peer(NodeId id, const std::string& host, uint16_t port) {
    auto p = impl_->peer(id);
    p->removed = false;
    bool moved = p->has_address && (p->host != host || p->port != port);
    p->host = host;
    p->port = port;
    p->has_address = true;
    if (moved && p->conn) impl_->close(p->conn, p);
    const bool dials = impl_->options.dials ? impl_->options.dials(id) : impl_->self < id;
    if (dials && !p->dialing && !impl_->stopped) {
        p->dialing = true;
        asio::co_spawn(impl_->io, Impl::dial_loop(impl_, p), asio::detached);
    }
}

void TcpTransport::remove_peer(NodeId id) {
    auto it = impl_->peers.find(id);
    if (it == impl_->peers.end()) return;
    auto p = it->second;
    p->removed = true;
    p->queue.clear();
    p->queued_bytes = 0;
    if (p->conn) impl_->close(p->conn, p);
    p->backoff.cancel();
    p->conn_gone.notify();
    impl_->peers.erase(it);
}

void TcpTransport::set_sink(FrameSink sink) {
    impl_->sink = std::move(sink);
}

bool TcpTransport::send(NodeId to, std::vector<uint8_t> frame) {
    auto it = impl_->peers.find(to);
    if (impl_->stopped || it == impl_->peers.end()) {
        ++impl_->stats.frames_dropped;
        return false;
    }
    Peer& p = *it->second;
    if (p.queue.size() >= impl_->options.max_queued_frames ||
        p.queued_bytes + frame.size() > impl_->options.max_queued_bytes) {
        ++impl_->stats.frames_dropped;
        return false;
    }
    p.queued_bytes += frame.size();
    p.queue.push_back(std::move(frame));
    p.wake.notify();
    return true;
}

bool TcpTransport::connected(NodeId to) const {
    auto it = impl_->peers.find(to);
    return it != impl_->peers.end() && it->second->conn != nullptr;
}

const TcpTransportStats& TcpTransport::stats() const {
    return impl_->stats;
}

void TcpTransport::stop() {
    if (impl_->stopped) return;
    impl_->stopped = true;
    boost::system::error_code ignored;
    if (impl_->acceptor) impl_->acceptor->close(ignored);
    auto peers = impl_->peers;
    for (auto& [id, p] : peers) remove_peer(id);
    for (auto& weak : impl_->conns) {
        if (auto c = weak.lock()) impl_->close(c, nullptr);
    }
    impl_->conns.clear();
}

}  // namespace broker::raft
