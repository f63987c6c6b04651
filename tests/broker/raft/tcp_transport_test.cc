#include "broker/raft/tcp_transport.h"

#include <chrono>
#include <functional>

#include <gtest/gtest.h>

#include "broker/raft/rpc_codec.h"
#include "common/asio.h"

namespace broker::raft {
namespace {

namespace asio = common::asio;
using asio::ip::tcp;

// Runs the io_context until `done` holds; fails the test (instead of hanging) when it never does.
bool run_until(asio::io_context& io, const std::function<bool()>& done) {
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!done()) {
        if (std::chrono::steady_clock::now() > give_up) return false;
        io.restart();
        io.run_for(std::chrono::milliseconds(5));
    }
    return true;
}

Message heartbeat(int from, int to, int64_t group, int64_t commit) {
    return HeartbeatRequest{MessageHeader{GroupId(group), NodeId(from), NodeId(to), Term(1)},
                            commit};
}

// A transport that records every message it receives.
struct Endpoint {
    Endpoint(asio::io_context& io, int id, TcpTransportOptions options = {})
        : transport(io, NodeId(id), options) {
        transport.set_sink([this](NodeId from, const FrameView& frame) {
            auto msg = decode_message(frame);
            if (!msg) return false;
            received.emplace_back(from, msg.value());
            return true;
        });
    }
    TcpTransport transport;
    std::vector<std::pair<NodeId, Message>> received;
};

class TcpTransportTest : public ::testing::Test {
  protected:
    asio::io_context io_;
};

TEST_F(TcpTransportTest, TwoBrokersExchangeFramesBothWaysOverOneConnection) {
    Endpoint a(io_, 1), b(io_, 2);
    uint16_t pa = a.transport.listen("127.0.0.1", 0).value();
    uint16_t pb = b.transport.listen("127.0.0.2", 0).value();
    a.transport.set_peer(NodeId(2), "127.0.0.2", pb);
    b.transport.set_peer(NodeId(1), "127.0.0.1", pa);
    for (int i = 0; i < 100; ++i) {
        ASSERT_TRUE(a.transport.send(NodeId(2), encode_message(heartbeat(1, 2, i, i))));
        ASSERT_TRUE(b.transport.send(NodeId(1), encode_message(heartbeat(2, 1, i, i))));
    }
    ASSERT_TRUE(
        run_until(io_, [&] { return a.received.size() == 100 && b.received.size() == 100; }));
    for (int i = 0; i < 100; ++i) {  // in order, from the right sender
        EXPECT_EQ(b.received[i].first, NodeId(1));
        EXPECT_EQ(b.received[i].second, heartbeat(1, 2, i, i));
        EXPECT_EQ(a.received[i].second, heartbeat(2, 1, i, i));
    }
    EXPECT_EQ(a.transport.stats().connections_opened, 1u);
    EXPECT_EQ(b.transport.stats().connections_opened, 1u);
}

TEST_F(TcpTransportTest, DialerReconnectsAfterThePeerRestartsOnTheSamePort) {
    Endpoint a(io_, 1);
    a.transport.listen("127.0.0.1", 0).value();
    auto b = std::make_unique<Endpoint>(io_, 2);
    uint16_t pb = b->transport.listen("127.0.0.2", 0).value();
    a.transport.set_peer(NodeId(2), "127.0.0.2", pb);
    ASSERT_TRUE(a.transport.send(NodeId(2), encode_message(heartbeat(1, 2, 1, 1))));
    ASSERT_TRUE(run_until(io_, [&] { return b->received.size() == 1; }));
    b.reset();  // the peer goes away...
    ASSERT_TRUE(run_until(io_, [&] { return !a.transport.connected(NodeId(2)); }));
    b = std::make_unique<Endpoint>(io_, 2);  // ...and comes back on the same address
    ASSERT_TRUE(b->transport.listen("127.0.0.2", pb));
    ASSERT_TRUE(run_until(io_, [&] { return a.transport.connected(NodeId(2)); }));
    ASSERT_TRUE(a.transport.send(NodeId(2), encode_message(heartbeat(1, 2, 2, 2))));
    ASSERT_TRUE(run_until(io_, [&] { return b->received.size() == 1; }));
    EXPECT_EQ(b->received[0].second, heartbeat(1, 2, 2, 2));
}

TEST_F(TcpTransportTest, FramesToAnUnreachablePeerAreQueuedUpToTheBoundThenDropped) {
    TcpTransportOptions options;
    options.max_queued_frames = 10;
    Endpoint a(io_, 1, options);
    a.transport.set_peer(NodeId(2), "127.0.0.2", 1);  // nothing listens there
    int accepted = 0;
    for (int i = 0; i < 25; ++i) {
        accepted += a.transport.send(NodeId(2), encode_message(heartbeat(1, 2, i, i))) ? 1 : 0;
    }
    EXPECT_EQ(accepted, 10);
    EXPECT_EQ(a.transport.stats().frames_dropped, 15u);
    EXPECT_FALSE(a.transport.send(NodeId(9), encode_message(heartbeat(1, 9, 1, 1))));  // unknown
}

// Connects a raw socket to `port` on 127.0.0.2, writes `bytes`, and waits for the transport to
// close the connection.
bool closed_after_writing(asio::io_context& io, uint16_t port, const std::vector<uint8_t>& bytes) {
    tcp::socket s(io);
    boost::system::error_code ec;
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.2"), port), ec);
    if (ec) return false;
    asio::write(s, asio::buffer(bytes), ec);
    bool closed = false;
    std::array<uint8_t, 16> buf{};
    s.async_read_some(asio::buffer(buf),
                      [&](boost::system::error_code e, size_t) { closed = static_cast<bool>(e); });
    return run_until(io, [&] { return closed; });
}

TEST_F(TcpTransportTest, BadInputClosesThatConnectionAndNothingElse) {
    Endpoint a(io_, 1), b(io_, 2);
    a.transport.listen("127.0.0.1", 0).value();
    uint16_t pb = b.transport.listen("127.0.0.2", 0).value();
    a.transport.set_peer(NodeId(2), "127.0.0.2", pb);
    ASSERT_TRUE(a.transport.send(NodeId(2), encode_message(heartbeat(1, 2, 1, 1))));
    ASSERT_TRUE(run_until(io_, [&] { return b.received.size() == 1; }));

    // A frame size beyond the limit, a hello addressed to someone else, a first frame that is
    // not a hello, and garbage.
    EXPECT_TRUE(closed_after_writing(io_, pb, {0x7f, 0xff, 0xff, 0xff}));
    auto wrong_hello = make_hello_frame(Hello{NodeId(5), NodeId(3)});
    EXPECT_TRUE(closed_after_writing(io_, pb, wrong_hello));
    EXPECT_TRUE(closed_after_writing(io_, pb, encode_message(heartbeat(5, 2, 1, 1))));
    EXPECT_TRUE(closed_after_writing(io_, pb, {0, 0, 0, 3, 1, 2, 3}));
    // After a good hello, an undecodable frame.
    auto hello = make_hello_frame(Hello{NodeId(7), NodeId(2)});
    auto bad = make_frame(FrameHeader{RpcApi::RaftMessage, 0, 1}, std::vector<uint8_t>{1, 2});
    hello.insert(hello.end(), bad.begin(), bad.end());
    EXPECT_TRUE(closed_after_writing(io_, pb, hello));
    EXPECT_EQ(b.transport.stats().connections_closed_bad_input, 5u);

    // The real peer's connection is untouched.
    ASSERT_TRUE(a.transport.send(NodeId(2), encode_message(heartbeat(1, 2, 2, 2))));
    ASSERT_TRUE(run_until(io_, [&] { return b.received.size() == 2; }));
    EXPECT_EQ(a.transport.stats().connections_opened, 1u);
}

TEST_F(TcpTransportTest, AnAcceptedSocketThatNeverSaysHelloIsClosed) {
    TcpTransportOptions options;
    options.hello_timeout = std::chrono::milliseconds(20);
    Endpoint b(io_, 2, options);
    uint16_t pb = b.transport.listen("127.0.0.2", 0).value();
    EXPECT_TRUE(closed_after_writing(io_, pb, {}));
    EXPECT_EQ(b.transport.stats().connections_closed_bad_input, 1u);
}

TEST_F(TcpTransportTest, HigherIdQueuesUntilDialedThenSendsOverTheSameConnection) {
    Endpoint a(io_, 1), b(io_, 2);
    uint16_t pa = a.transport.listen("127.0.0.1", 0).value();
    uint16_t pb = b.transport.listen("127.0.0.2", 0).value();
    b.transport.set_peer(NodeId(1), "127.0.0.1", pa);  // the higher id never dials
    ASSERT_TRUE(b.transport.send(NodeId(1), encode_message(heartbeat(2, 1, 1, 1))));
    a.transport.set_peer(NodeId(2), "127.0.0.2", pb);
    ASSERT_TRUE(run_until(io_, [&] { return a.received.size() == 1; }));
    EXPECT_EQ(a.received[0].second, heartbeat(2, 1, 1, 1));
    EXPECT_EQ(a.transport.stats().connections_opened, 1u);
    EXPECT_EQ(b.transport.stats().connections_opened, 1u);
}

}  // namespace
}  // namespace broker::raft
