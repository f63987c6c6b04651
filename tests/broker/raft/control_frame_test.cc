#include "broker/raft/control_frame.h"

#include <gtest/gtest.h>

#include "common/errc.h"

namespace broker::raft {
namespace {

common::Result<ControlFrame> decode_whole(const std::vector<uint8_t>& frame) {
    std::span<const uint8_t> bytes(frame);
    if (bytes.size() < kFrameSizeBytes) return common::Errc::Truncated;
    auto body = bytes.subspan(kFrameSizeBytes);
    if (decode_frame_size(bytes.first<kFrameSizeBytes>()) != body.size()) {
        return common::Errc::Malformed;
    }
    TRIBUTARY_TRY(view, decode_frame_body(body));
    return decode_control(view);
}

TEST(ControlFrameTest, RequestAndResponseRoundTrip) {
    for (const auto& f : {ControlFrame{false, 1, {1, 2, 3}}, ControlFrame{true, 1ULL << 40, {}},
                          ControlFrame{true, 7, std::vector<uint8_t>(5000, 0xab)}}) {
        auto frame = encode_control(f);
        auto view = decode_frame_body(std::span(frame).subspan(kFrameSizeBytes)).value();
        EXPECT_EQ(view.header.api, f.response ? RpcApi::ControlResponse : RpcApi::ControlRequest);
        EXPECT_EQ(view.header.group, 0u);
        auto back = decode_whole(frame);
        ASSERT_TRUE(back) << back.error().message();
        EXPECT_EQ(back.value(), f);
    }
}

TEST(ControlFrameTest, EveryTruncationIsRefused) {
    auto frame = encode_control(ControlFrame{false, 99, {9, 8, 7, 6}});
    auto body = std::span<const uint8_t>(frame).subspan(kFrameSizeBytes);
    for (size_t n = kFrameHeaderBytes; n < body.size(); ++n) {
        auto view = decode_frame_body(body.first(n));
        ASSERT_TRUE(view);
        EXPECT_FALSE(decode_control(view.value())) << n;
    }
}

TEST(ControlFrameTest, TrailingBytesNegativeOrHugeLengthsAreRefused) {
    auto frame = encode_control(ControlFrame{false, 5, {1}});
    frame.push_back(0);
    auto body = std::span<const uint8_t>(frame).subspan(kFrameSizeBytes);
    EXPECT_EQ(decode_control(decode_frame_body(body).value()).error(),
              common::make_error_code(common::Errc::Malformed));

    auto negative = encode_control(ControlFrame{false, 5, {}});
    // The body length field follows the 8-byte correlation id.
    size_t length_at = kFrameSizeBytes + kFrameHeaderBytes + 8;
    negative[length_at] = 0xff;
    auto nb = std::span<const uint8_t>(negative).subspan(kFrameSizeBytes);
    EXPECT_FALSE(decode_control(decode_frame_body(nb).value()));

    auto huge = encode_control(ControlFrame{false, 5, {}});
    huge[length_at] = 0x7f;
    auto hb = std::span<const uint8_t>(huge).subspan(kFrameSizeBytes);
    EXPECT_EQ(decode_control(decode_frame_body(hb).value()).error(),
              common::make_error_code(common::Errc::TooLarge));
}

TEST(ControlFrameTest, OtherApisVersionsAndGroupsAreRefused) {
    std::vector<uint8_t> payload(12, 0);
    auto wrong_version = make_frame(FrameHeader{RpcApi::ControlRequest, 1, 0}, payload);
    auto wrong_group = make_frame(FrameHeader{RpcApi::ControlRequest, 0, 3}, payload);
    auto wrong_api = make_frame(FrameHeader{RpcApi::RaftMessage, 0, 0}, payload);
    EXPECT_EQ(decode_whole(wrong_version).error(),
              common::make_error_code(common::Errc::Unsupported));
    EXPECT_FALSE(decode_whole(wrong_group));
    EXPECT_FALSE(decode_whole(wrong_api));
    auto ok = make_frame(FrameHeader{RpcApi::ControlRequest, 0, 0}, payload);
    EXPECT_TRUE(decode_whole(ok));
}

}  // namespace
}  // namespace broker::raft
