// The admin client's transport and version negotiation without a broker: address parsing,
// choosing versions, and clear errors (never a hang) from a closed port, a listener that never
// answers, a full accept queue, a peer that hangs up and a reply that does not decode.

#include <gtest/gtest.h>

#include "operator/kafka_admin/kafka_admin_client.h"
#include "tests/operator/kafka_admin/broker_process.h"
#include "tests/operator/kafka_admin/fake_tcp_server.h"

namespace kop::kafka_admin {
namespace {

using common::protocol::ApiKey;
using testing::FakeTcpServer;

ClientOptions short_timeout() {
    ClientOptions o;
    o.timeout = std::chrono::milliseconds(300);
    return o;
}

TEST(ParseAddressTest, AcceptsHostPortAndBracketedIpv6) {
    auto a = parse_address("10.0.0.7:9092");
    ASSERT_TRUE(a);
    EXPECT_EQ(a.value().host, "10.0.0.7");
    EXPECT_EQ(a.value().port, 9092);
    auto b = parse_address("[::1]:19092");
    ASSERT_TRUE(b);
    EXPECT_EQ(b.value().host, "::1");
    EXPECT_EQ(b.value().str(), "::1:19092");
}

TEST(ParseAddressTest, RefusesAddressesWithoutAValidPort) {
    for (const char* bad : {"", "host", "host:", ":9092", "host:0", "host:70000", "host:9x"}) {
        auto a = parse_address(bad);
        ASSERT_FALSE(a) << bad;
        EXPECT_EQ(a.error(), Errc::InvalidAddress) << bad;
    }
}

TEST(NegotiateVersionTest, PicksTheHighestVersionBothSidesHandle) {
    BrokerVersions broker = {{static_cast<int16_t>(ApiKey::Metadata), {0, 9}},
                             {static_cast<int16_t>(ApiKey::DescribeCluster), {0, 0}}};
    EXPECT_EQ(negotiate_version(broker, ApiKey::Metadata, 1, 12).value(), 9);
    EXPECT_EQ(negotiate_version(broker, ApiKey::Metadata, 1, 4).value(), 4);
    EXPECT_EQ(negotiate_version(broker, ApiKey::DescribeCluster, 0, 1).value(), 0);
}

TEST(NegotiateVersionTest, ReportsUnsupportedVersionWhenRangesDoNotMeetOrTheApiIsMissing) {
    BrokerVersions broker = {{static_cast<int16_t>(ApiKey::Metadata), {10, 12}}};
    auto low = negotiate_version(broker, ApiKey::Metadata, 0, 9);
    ASSERT_FALSE(low);
    EXPECT_EQ(low.error(), Errc::UnsupportedVersion);
    auto missing = negotiate_version(broker, ApiKey::CreateTopics, 0, 7);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error(), Errc::UnsupportedVersion);
}

TEST(KafkaAdminConnectTest, AClosedPortIsConnectionRefused) {
    std::string host = testing::private_loopback_address("closed-port");
    uint16_t port = testing::free_port(host);
    ASSERT_NE(port, 0);
    auto c = KafkaAdminClient::connect({host + ":" + std::to_string(port)}, short_timeout());
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error(), Errc::ConnectionRefused) << c.error().message();
    EXPECT_EQ(c.error().message(), "connection refused");
}

TEST(KafkaAdminConnectTest, AListenerThatNeverAnswersTimesOut) {
    FakeTcpServer silent(testing::private_loopback_address("silent"), FakeTcpServer::Mode::Silent);
    ASSERT_NE(silent.port(), 0);
    auto c = KafkaAdminClient::connect({silent.address()}, short_timeout());
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error(), Errc::Timeout) << c.error().message();
}

TEST(KafkaAdminConnectTest, AFullAcceptQueueTimesOutWhileConnecting) {
    // Backlog 0 holds one connection that is never accepted; later SYNs are dropped.
    FakeTcpServer full(testing::private_loopback_address("full-queue"), FakeTcpServer::Mode::Silent,
                       {}, 0);
    ASSERT_NE(full.port(), 0);
    std::vector<std::unique_ptr<Connection>> fillers;
    Address address = parse_address(full.address()).value();
    for (int i = 0; i < 4; ++i) {
        auto filler = Connection::open(address, std::chrono::milliseconds(200));
        if (!filler) {
            EXPECT_EQ(filler.error(), Errc::Timeout) << filler.error().message();
            return;
        }
        fillers.push_back(std::move(filler).value());
    }
    FAIL() << "the accept queue never filled";
}

TEST(KafkaAdminConnectTest, APeerThatHangsUpIsDisconnected) {
    FakeTcpServer closing(testing::private_loopback_address("closing"),
                          FakeTcpServer::Mode::CloseAtOnce);
    auto c = KafkaAdminClient::connect({closing.address()}, short_timeout());
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error(), Errc::Disconnected) << c.error().message();
}

TEST(KafkaAdminConnectTest, AReplyWithAnotherCorrelationIdIsMalformed) {
    // size 6, correlation id 999, two more bytes.
    FakeTcpServer wrong(testing::private_loopback_address("wrong-corr"), FakeTcpServer::Mode::Reply,
                        {0, 0, 0, 6, 0, 0, 3, 0xe7, 0, 0});
    auto c = KafkaAdminClient::connect({wrong.address()}, short_timeout());
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error(), Errc::MalformedResponse) << c.error().message();
}

TEST(KafkaAdminConnectTest, AnOversizedFrameIsMalformed) {
    FakeTcpServer huge(testing::private_loopback_address("huge"), FakeTcpServer::Mode::Reply,
                       {0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 1});
    auto c = KafkaAdminClient::connect({huge.address()}, short_timeout());
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error(), Errc::MalformedResponse) << c.error().message();
}

TEST(KafkaAdminConnectTest, NoOrOnlyInvalidAddressesAreClearErrors) {
    auto none = KafkaAdminClient::connect({}, short_timeout());
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error(), Errc::NoAddresses);
    auto invalid = KafkaAdminClient::connect({"no-port"}, short_timeout());
    ASSERT_FALSE(invalid);
    EXPECT_EQ(invalid.error(), Errc::InvalidAddress);
}

TEST(KafkaErrorTest, KafkaErrorCodesCarryKafkasNameInTheirMessage) {
    std::error_code e = kafka_error(35);
    EXPECT_EQ(e.category(), kafka_error_category());
    EXPECT_NE(e.message().find("UNSUPPORTED_VERSION"), std::string::npos) << e.message();
}

}  // namespace
}  // namespace kop::kafka_admin
