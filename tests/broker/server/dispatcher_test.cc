#include "broker/server/dispatcher.h"

#include <gtest/gtest.h>

#include "broker/server/handlers/registry.h"
#include "common/protocol/error_code.h"
#include "common/protocol/headers.h"
#include "common/protocol/messages/metadata.h"
#include "tests/broker/server/handlers/admin_fixture.h"

namespace broker::server {
namespace {

namespace proto = common::protocol;

class DispatcherTest : public testing::AdminFixture {
  protected:
    std::vector<uint8_t> frame(int16_t key, int16_t version, const std::vector<uint8_t>& body) {
        proto::Writer w;
        w.write_int16(key);
        w.write_int16(version);
        w.write_int32(42);
        w.write_nullable_string(std::string("client"), false);
        if (version >= 3 && key == 18) w.write_uvarint(0);  // flexible header tag buffer
        w.write_raw(body);
        return w.take();
    }

    net::Reply send(std::vector<uint8_t> bytes) {
        Dispatcher dispatcher(handlers::handler_table(), services_, &metrics_);
        net::ConnectionInfo info{"127.0.0.1:5", 1, 0};
        return common::asio::co_spawn(shards_->context(0), dispatch(&dispatcher, bytes, info),
                                      common::asio::use_future)
            .get();
    }
    static common::awaitable<net::Reply> dispatch(Dispatcher* d, std::vector<uint8_t> bytes,
                                                  net::ConnectionInfo info) {
        co_return co_await d->handle_frame(std::move(bytes), info);
    }

    net::Metrics metrics_{1};
};

proto::ApiVersionsResponse read_api_versions(const net::Reply& reply, int16_t version) {
    proto::Reader r(reply.bytes);
    EXPECT_EQ(proto::read_response_header(r, 0).value(), 42);
    auto response = proto::ApiVersionsResponse::read(r, version);
    EXPECT_TRUE(response);
    EXPECT_TRUE(r.at_end());
    return response.value();
}

TEST_F(DispatcherTest, ApiVersionsV3ListsEveryHandler) {
    proto::Writer body;
    proto::ApiVersionsRequest{"librdkafka", "2.0.2"}.write(body, 3);
    auto reply = send(frame(18, 3, body.take()));
    ASSERT_EQ(reply.action, net::Reply::Action::Respond);
    auto response = read_api_versions(reply, 3);
    EXPECT_EQ(response.error_code, 0);
    bool saw_metadata = false;
    for (const auto& k : response.api_keys) {
        if (k.api_key == 3) {
            saw_metadata = true;
            EXPECT_EQ(k.max_version, 12);
        }
    }
    EXPECT_TRUE(saw_metadata);
    EXPECT_EQ(response.api_keys.size(), handlers::handler_table().advertised().size());
}

TEST_F(DispatcherTest, UnsupportedApiVersionsVersionGetsErrorInV0Format) {
    auto reply = send(frame(18, 9, {0x00, 0x00}));
    ASSERT_EQ(reply.action, net::Reply::Action::Respond);
    auto response = read_api_versions(reply, 0);
    EXPECT_EQ(response.error_code, static_cast<int16_t>(proto::ErrorCode::UnsupportedVersion));
    EXPECT_FALSE(response.api_keys.empty());
}

TEST_F(DispatcherTest, UnknownApiKeyClosesTheConnection) {
    EXPECT_EQ(send(frame(99, 0, {})).action, net::Reply::Action::Close);
    EXPECT_EQ(send(frame(4, 0, {})).action, net::Reply::Action::Close);  // LeaderAndIsr
}

TEST_F(DispatcherTest, UnsupportedVersionOfOtherApiClosesTheConnection) {
    EXPECT_EQ(send(frame(3, 13, {})).action, net::Reply::Action::Close);
}

TEST_F(DispatcherTest, TruncatedBodyOrHeaderClosesTheConnection) {
    EXPECT_EQ(send(frame(3, 1, {0x00, 0x00})).action, net::Reply::Action::Close);
    EXPECT_EQ(send({0x00, 0x03, 0x00}).action, net::Reply::Action::Close);
}

TEST_F(DispatcherTest, MetadataResponseCarriesCorrelationIdAndBody) {
    proto::Writer body;
    proto::MetadataRequest request;
    request.topics = std::nullopt;
    request.write(body, 1);
    auto reply = send(frame(3, 1, body.take()));
    ASSERT_EQ(reply.action, net::Reply::Action::Respond);
    proto::Reader r(reply.bytes);
    EXPECT_EQ(proto::read_response_header(r, 0).value(), 42);
    auto response = proto::MetadataResponse::read(r, 1);
    ASSERT_TRUE(response);
    EXPECT_EQ(response.value().brokers.at(0).node_id, 1);
    EXPECT_EQ(metrics_.snapshot().requests[3], 1u);
}

}  // namespace
}  // namespace broker::server
