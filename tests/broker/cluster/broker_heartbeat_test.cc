#include "broker/cluster/broker_heartbeat.h"

#include <gtest/gtest.h>

#include "common/errc.h"
#include "metadata_test_records.h"

namespace broker::cluster {
namespace {

using common::protocol::ErrorCode;

BrokerHeartbeat sample() {
    BrokerHeartbeat hb;
    hb.broker_id = 3;
    hb.incarnation_id = testing::uuid(7);
    hb.broker_epoch = 12;
    hb.rack = "zone-b";
    hb.endpoints = {{"PLAINTEXT", "127.0.0.3", 9092, "PLAINTEXT"},
                    {"EXTERNAL", "b3.example", 30003, "SASL_SSL"}};
    hb.reports = {{testing::uuid(1), 0, 4, {3, 1, 2}}, {testing::uuid(2), 7, 1, {3}}};
    return hb;
}

TEST(BrokerHeartbeatTest, HeartbeatAndResponseRoundTrip) {
    for (auto hb : {sample(), BrokerHeartbeat{}}) {
        auto back = decode_heartbeat(encode_heartbeat(hb));
        ASSERT_TRUE(back) << back.error().message();
        EXPECT_EQ(back.value(), hb);
    }
    for (const auto& resp : {BrokerHeartbeatResponse{ErrorCode::None, 5, false},
                             BrokerHeartbeatResponse{ErrorCode::NotController, -1, true}}) {
        auto back = decode_heartbeat_response(encode_heartbeat_response(resp));
        ASSERT_TRUE(back);
        EXPECT_EQ(back.value(), resp);
    }
}

TEST(BrokerHeartbeatTest, EveryTruncationAndTrailingBytesAreRefused) {
    auto bytes = encode_heartbeat(sample());
    for (size_t n = 0; n < bytes.size(); ++n) {
        EXPECT_FALSE(decode_heartbeat(std::span<const uint8_t>(bytes).first(n))) << n;
    }
    bytes.push_back(0);
    EXPECT_FALSE(decode_heartbeat(bytes));
    auto resp = encode_heartbeat_response({ErrorCode::None, 1, false});
    for (size_t n = 0; n < resp.size(); ++n) {
        EXPECT_FALSE(decode_heartbeat_response(std::span<const uint8_t>(resp).first(n))) << n;
    }
}

TEST(BrokerHeartbeatTest, HostileCountsNewerVersionsAndWrongTypesAreRefused) {
    BrokerHeartbeat hb;
    auto bytes = encode_heartbeat(hb);
    // The last four bytes are the report count: claim far more than the bytes hold.
    bytes[bytes.size() - 4] = 0x7f;
    EXPECT_EQ(decode_heartbeat(bytes).error(), common::make_error_code(common::Errc::Malformed));
    auto newer = encode_heartbeat(hb);
    newer[3] = 1;  // version 1
    EXPECT_EQ(decode_heartbeat(newer).error(), common::make_error_code(common::Errc::Unsupported));
    auto response = encode_heartbeat_response({});
    EXPECT_FALSE(decode_heartbeat(response));  // a response is not a heartbeat
    EXPECT_FALSE(decode_heartbeat_response(encode_heartbeat(hb)));
}

}  // namespace
}  // namespace broker::cluster
