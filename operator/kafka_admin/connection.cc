#include "operator/kafka_admin/connection.h"

#include <array>
#include <charconv>

#include "common/asio.h"
#include "operator/kafka_admin/errc.h"

namespace kop::kafka_admin {
namespace {

namespace asio = common::asio;
using asio::ip::tcp;
using common::Result;

// Frames larger than this are refused (a metadata reply of a big cluster is a few MiB).
constexpr uint32_t kMaxFrameBytes = 64u << 20;

using Clock = std::chrono::steady_clock;

Duration remaining(Clock::time_point deadline) {
    return std::max(Duration(0), std::chrono::duration_cast<Duration>(deadline - Clock::now()));
}

Errc errc_of(const boost::system::error_code& ec) {
    namespace e = asio::error;
    if (ec == e::connection_refused) return Errc::ConnectionRefused;
    if (ec == e::timed_out || ec == e::operation_aborted) return Errc::Timeout;
    if (ec == e::eof || ec == e::connection_reset || ec == e::broken_pipe ||
        ec == e::connection_aborted) {
        return Errc::Disconnected;
    }
    return Errc::Unreachable;
}

}  // namespace

struct Connection::State {
    asio::io_context io;
    tcp::socket socket{io};

    // Runs the operations already started until they finish or `timeout` passes; on timeout the
    // socket is closed, which completes them with operation_aborted.
    bool run_for(Duration timeout) {
        io.restart();
        io.run_for(timeout);
        if (io.stopped()) return true;
        close();
        io.run();
        return false;
    }

    void close() {
        boost::system::error_code ignored;
        socket.close(ignored);
    }

    // Starts one read or write (`start` is given the completion handler) and waits for it until
    // `deadline`; any failure closes the socket.
    template <class Start>
    Result<void> step(Start&& start, Clock::time_point deadline) {
        boost::system::error_code ec = asio::error::would_block;
        start([&ec](const boost::system::error_code& e, size_t) { ec = e; });
        if (!run_for(remaining(deadline))) return Errc::Timeout;
        if (!ec) return common::ok();
        close();
        return errc_of(ec);
    }
};

Result<Address> parse_address(const std::string& text) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
        return Errc::InvalidAddress;
    }
    std::string host = text.substr(0, colon);
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') return Errc::InvalidAddress;
        host = host.substr(1, host.size() - 2);
    }
    const char* first = text.data() + colon + 1;
    const char* last = text.data() + text.size();
    unsigned port = 0;
    auto [end, ec] = std::from_chars(first, last, port);
    if (ec != std::errc() || end != last || port == 0 || port > 65535) return Errc::InvalidAddress;
    return Address{host, static_cast<uint16_t>(port)};
}

Connection::Connection(Address address, std::unique_ptr<State> state)
    : address_(std::move(address)), state_(std::move(state)) {}

Connection::~Connection() = default;

namespace {

// Numeric addresses (pod IPs) need no lookup; a host name is resolved by the system resolver,
// whose own timeout bounds that step.
Result<tcp::resolver::results_type> resolve(asio::io_context& io, const Address& address) {
    boost::system::error_code ec;
    auto ip = asio::ip::make_address(address.host, ec);
    if (!ec) {
        return tcp::resolver::results_type::create(tcp::endpoint(ip, address.port), address.host,
                                                   std::to_string(address.port));
    }
    tcp::resolver resolver(io);
    auto endpoints = resolver.resolve(address.host, std::to_string(address.port), ec);
    if (ec || endpoints.empty()) return Errc::Unreachable;
    return endpoints;
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::open(const Address& address, Duration timeout) {
    auto state = std::make_unique<State>();
    const auto deadline = Clock::now() + timeout;
    TRIBUTARY_TRY(endpoints, resolve(state->io, address));
    boost::system::error_code ec = asio::error::would_block;
    asio::async_connect(
        state->socket, endpoints,
        [&ec](const boost::system::error_code& e, const tcp::endpoint&) { ec = e; });
    if (!state->run_for(remaining(deadline))) return Errc::Timeout;
    if (ec) return errc_of(ec);
    state->socket.set_option(tcp::no_delay(true), ec);
    return std::unique_ptr<Connection>(new Connection(address, std::move(state)));
}

Result<common::protocol::Bytes> Connection::round_trip(std::span<const uint8_t> payload,
                                                       Duration timeout) {
    State& s = *state_;
    if (!s.socket.is_open()) return Errc::Disconnected;
    const auto deadline = Clock::now() + timeout;
    const auto n = static_cast<uint32_t>(payload.size());
    std::array<uint8_t, 4> size_out{static_cast<uint8_t>(n >> 24), static_cast<uint8_t>(n >> 16),
                                    static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n)};
    std::array<asio::const_buffer, 2> out{asio::buffer(size_out),
                                          asio::buffer(payload.data(), payload.size())};
    TRIBUTARY_TRY(s.step([&](auto done) { asio::async_write(s.socket, out, done); }, deadline));
    std::array<uint8_t, 4> size_in{};
    TRIBUTARY_TRY(s.step(
        [&](auto done) { asio::async_read(s.socket, asio::buffer(size_in), done); }, deadline));
    const uint32_t size = (uint32_t{size_in[0]} << 24) | (uint32_t{size_in[1]} << 16) |
                          (uint32_t{size_in[2]} << 8) | uint32_t{size_in[3]};
    if (size > kMaxFrameBytes) {
        s.close();
        return Errc::MalformedResponse;
    }
    common::protocol::Bytes frame(size);
    TRIBUTARY_TRY(s.step([&](auto done) { asio::async_read(s.socket, asio::buffer(frame), done); },
                         deadline));
    return frame;
}

}  // namespace kop::kafka_admin
