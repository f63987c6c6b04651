#include "broker/net/tcp_server.h"

#include <gtest/gtest.h>

namespace broker::net {
namespace {

namespace asio = common::asio;
using asio::ip::tcp;

// Echoes each frame back; frames starting with 'C' ask to close, 'N' get no response,
// 'S' complete only after a short hop through the shard (to exercise ordering).
class EchoHandler : public FrameHandler {
  public:
    boost::asio::awaitable<Reply> handle_frame(std::vector<uint8_t> frame,
                                               const ConnectionInfo&) override {
        Reply reply;
        if (!frame.empty() && frame[0] == 'C') reply.action = Reply::Action::Close;
        if (!frame.empty() && frame[0] == 'N') reply.action = Reply::Action::NoResponse;
        if (!frame.empty() && frame[0] == 'S') {
            asio::steady_timer t(co_await asio::this_coro::executor);
            t.expires_after(std::chrono::milliseconds(1));
            co_await t.async_wait(common::use_awaitable);
        }
        reply.bytes = std::move(frame);
        co_return reply;
    }
};

class TcpServerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto port = server_.listen("127.0.0.1", 0);
        ASSERT_TRUE(port);
        port_ = port.value();
        server_.start();
        shards_.start();
        socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    }
    void TearDown() override {
        server_.stop();
        shards_.stop();
        shards_.join();
    }

    void send_raw(const std::vector<uint8_t>& bytes) { asio::write(socket_, asio::buffer(bytes)); }
    void send_frame(const std::string& payload) {
        auto n = static_cast<uint32_t>(payload.size());
        std::vector<uint8_t> bytes = {uint8_t(n >> 24), uint8_t(n >> 16), uint8_t(n >> 8),
                                      uint8_t(n)};
        bytes.insert(bytes.end(), payload.begin(), payload.end());
        send_raw(bytes);
    }
    std::string read_frame() {
        std::array<uint8_t, 4> size{};
        asio::read(socket_, asio::buffer(size));
        uint32_t n = (uint32_t(size[0]) << 24) | (uint32_t(size[1]) << 16) |
                     (uint32_t(size[2]) << 8) | size[3];
        std::string payload(n, '\0');
        asio::read(socket_, asio::buffer(payload));
        return payload;
    }
    // True when the server closed the connection (EOF or reset).
    bool peer_closed() {
        std::array<uint8_t, 1> b{};
        boost::system::error_code ec;
        asio::read(socket_, asio::buffer(b), ec);
        return ec == asio::error::eof || ec == asio::error::connection_reset;
    }

    cluster::ShardSet shards_{2};
    EchoHandler handler_;
    Metrics metrics_{2};
    TcpServer server_{shards_, handler_, metrics_, ConnectionOptions{1024}};
    uint16_t port_ = 0;
    asio::io_context client_;
    tcp::socket socket_{client_};
};

TEST_F(TcpServerTest, AnswersFramesInRequestOrderWhenPipelined) {
    for (int i = 0; i < 40; ++i) send_frame((i % 3 == 0 ? "S" : "F") + std::to_string(i));
    for (int i = 0; i < 40; ++i)
        EXPECT_EQ(read_frame(), (i % 3 == 0 ? "S" : "F") + std::to_string(i));
}

TEST_F(TcpServerTest, WritesNothingForANoResponseRequest) {
    send_frame("N1");
    send_frame("F2");
    EXPECT_EQ(read_frame(), "F2");
}

TEST_F(TcpServerTest, OversizeFrameClosesTheConnection) {
    send_raw({0x00, 0x00, 0x04, 0x01});  // 1025 > 1024
    EXPECT_TRUE(peer_closed());
}

TEST_F(TcpServerTest, NegativeOrZeroSizeClosesTheConnection) {
    send_raw({0xff, 0xff, 0xff, 0xfe});
    EXPECT_TRUE(peer_closed());
    tcp::socket second(client_);
    second.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    socket_ = std::move(second);
    send_raw({0, 0, 0, 0});
    EXPECT_TRUE(peer_closed());
}

TEST_F(TcpServerTest, CloseRequestWritesEarlierResponsesThenCloses) {
    send_frame("S1");
    send_frame("C2");
    EXPECT_EQ(read_frame(), "S1");
    EXPECT_TRUE(peer_closed());
}

TEST_F(TcpServerTest, OneBadConnectionDoesNotAffectAnother) {
    tcp::socket other(client_);
    other.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    send_raw({0x7f, 0xff, 0xff, 0xff});
    EXPECT_TRUE(peer_closed());
    socket_ = std::move(other);
    send_frame("F-still-here");
    EXPECT_EQ(read_frame(), "F-still-here");
}

TEST_F(TcpServerTest, StopClosesOpenConnections) {
    send_frame("F1");
    EXPECT_EQ(read_frame(), "F1");
    server_.stop();
    EXPECT_TRUE(peer_closed());
}

}  // namespace
}  // namespace broker::net
