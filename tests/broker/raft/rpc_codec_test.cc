#include "broker/raft/rpc_codec.h"

#include <random>

#include <gtest/gtest.h>

#include "common/errc.h"

namespace broker::raft {
namespace {

MessageHeader header(int64_t group = 42) {
    return MessageHeader{GroupId(group), NodeId(1), NodeId(2), Term(7)};
}

std::vector<Message> one_of_each() {
    std::vector<Message> out;
    out.emplace_back(VoteRequest{header(), 100, Term(6), true, false});
    out.emplace_back(VoteRequest{header(), 5, Term(1), false, true});
    out.emplace_back(VoteResponse{header(), true, true});
    AppendEntriesRequest append{header(), 9, Term(6), 8, {}};
    append.entries.push_back(Entry{Term(7), 10, EntryType::Noop, {}});
    append.entries.push_back(Entry{Term(7), 11, EntryType::Data, Bytes{1, 2, 3}});
    append.entries.push_back(
        Entry{Term(7), 12, EntryType::Configuration, Membership::of({NodeId(1)}).encode()});
    out.emplace_back(append);
    out.emplace_back(AppendEntriesRequest{header(), 0, Term(0), 0, {}});
    out.emplace_back(AppendEntriesResponse{header(), true, 9, 12, 0, Term(0), 12});
    out.emplace_back(AppendEntriesResponse{header(), false, 9, 0, 4, Term(3), 6});
    out.emplace_back(HeartbeatRequest{header(), 77});
    out.emplace_back(HeartbeatResponse{header()});
    SnapshotMeta meta{50, Term(5), Membership::of({NodeId(1), NodeId(2)}, {NodeId(3)})};
    out.emplace_back(InstallSnapshotRequest{header(), meta, 4096, Bytes(300, 9), true});
    out.emplace_back(InstallSnapshotResponse{header(), 50, 4396, true});
    out.emplace_back(TimeoutNow{header()});
    return out;
}

common::Result<Message> decode_whole(const std::vector<uint8_t>& frame) {
    if (frame.size() < kFrameSizeBytes) return common::Errc::Truncated;
    std::span<const uint8_t> bytes(frame);
    uint32_t size = decode_frame_size(bytes.first<kFrameSizeBytes>());
    auto body = bytes.subspan(kFrameSizeBytes);
    if (size != body.size()) return common::Errc::Malformed;
    TRIBUTARY_TRY(view, decode_frame_body(body));
    return decode_message(view);
}

TEST(RpcCodecTest, EveryMessageKindRoundTrips) {
    for (const auto& msg : one_of_each()) {
        auto frame = encode_message(msg);
        auto back = decode_whole(frame);
        ASSERT_TRUE(back) << kind_name(msg) << ": " << back.error().message();
        EXPECT_EQ(back.value(), msg) << kind_name(msg);
    }
}

TEST(RpcCodecTest, FrameHeaderCarriesApiVersionAndGroup) {
    auto frame = encode_message(HeartbeatRequest{header(123456789012), 3});
    auto view = decode_frame_body(std::span(frame).subspan(kFrameSizeBytes)).value();
    EXPECT_EQ(view.header, (FrameHeader{RpcApi::RaftMessage, 0, 123456789012u}));
    EXPECT_EQ(decode_frame_size(std::span(frame).first<kFrameSizeBytes>()),
              frame.size() - kFrameSizeBytes);
}

TEST(RpcCodecTest, HeartbeatBatchesRoundTrip) {
    std::vector<HeartbeatRequest> hbs;
    std::vector<HeartbeatResponse> resps;
    for (int64_t g = 1; g <= 1000; ++g) {
        hbs.push_back(
            HeartbeatRequest{MessageHeader{GroupId(g), NodeId(3), NodeId(5), Term(g)}, g});
        resps.push_back(
            HeartbeatResponse{MessageHeader{GroupId(g), NodeId(5), NodeId(3), Term(g)}});
    }
    auto frame = encode_heartbeat_batch(hbs);
    auto view = decode_frame_body(std::span(frame).subspan(kFrameSizeBytes)).value();
    EXPECT_EQ(decode_heartbeat_batch(view).value(), hbs);
    auto rframe = encode_heartbeat_response_batch(resps);
    auto rview = decode_frame_body(std::span(rframe).subspan(kFrameSizeBytes)).value();
    EXPECT_EQ(decode_heartbeat_response_batch(rview).value(), resps);
    // The wrong decoder refuses the other's frame.
    EXPECT_FALSE(decode_heartbeat_batch(rview));
    EXPECT_FALSE(decode_message(view));
}

TEST(RpcCodecTest, HelloRoundTripsAndOtherFramesAreNotHellos) {
    auto frame = make_hello_frame(Hello{NodeId(4), NodeId(9)});
    auto view = decode_frame_body(std::span(frame).subspan(kFrameSizeBytes)).value();
    EXPECT_EQ(decode_hello(view).value(), (Hello{NodeId(4), NodeId(9)}));
    auto other = encode_message(TimeoutNow{header()});
    auto other_view = decode_frame_body(std::span(other).subspan(kFrameSizeBytes)).value();
    EXPECT_FALSE(decode_hello(other_view));
}

TEST(RpcCodecTest, EveryTruncationOfEveryMessageIsRefused) {
    for (const auto& msg : one_of_each()) {
        auto frame = encode_message(msg);
        auto body = std::span<const uint8_t>(frame).subspan(kFrameSizeBytes);
        for (size_t n = 0; n < body.size(); ++n) {
            auto view = decode_frame_body(body.first(n));
            if (!view) continue;
            EXPECT_FALSE(decode_message(view.value())) << kind_name(msg) << " cut at " << n;
        }
    }
}

TEST(RpcCodecTest, TrailingBytesUnknownKindsAndNegativeValuesAreRefused) {
    auto frame = encode_message(HeartbeatRequest{header(), 3});
    auto body = std::vector<uint8_t>(frame.begin() + kFrameSizeBytes, frame.end());
    auto decode = [](const std::vector<uint8_t>& b) {
        auto view = decode_frame_body(b);
        return view ? decode_message(view.value()) : common::Result<Message>(view.error());
    };
    ASSERT_TRUE(decode(body));
    auto longer = body;
    longer.push_back(0);
    EXPECT_FALSE(decode(longer));
    auto unknown_kind = body;
    unknown_kind[kFrameHeaderBytes] = 99;  // the kind byte
    EXPECT_FALSE(decode(unknown_kind));
    auto negative_term = body;
    negative_term[kFrameHeaderBytes + 9] = 0x80;  // top byte of the term
    EXPECT_FALSE(decode(negative_term));
    auto unknown_api = body;
    unknown_api[0] = 0x7f;
    EXPECT_EQ(decode_frame_body(unknown_api).error(), make_error_code(common::Errc::Unsupported));
    auto newer_version = body;
    newer_version[3] = 1;
    EXPECT_EQ(decode(newer_version).error(), make_error_code(common::Errc::Unsupported));
}

TEST(RpcCodecTest, HugeCountsAndLengthsDoNotAllocateOrCrash) {
    AppendEntriesRequest append{header(), 1, Term(1), 1, {Entry{Term(1), 2, EntryType::Data, {}}}};
    auto frame = encode_message(append);
    auto body = std::vector<uint8_t>(frame.begin() + kFrameSizeBytes, frame.end());
    // The entry count follows kind, header (16 bytes) and three int64s.
    size_t count_at = kFrameHeaderBytes + 1 + 16 + 24;
    for (uint8_t b : {0x7f, 0xff}) {
        auto bad = body;
        bad[count_at] = b;
        auto view = decode_frame_body(bad).value();
        EXPECT_FALSE(decode_message(view));
    }
}

// Random bytes and random mutations of valid frames: decoding returns a value or an error, never
// crashes, never reads out of bounds; whatever decodes re-encodes to a frame that decodes equal.
TEST(RpcCodecTest, RandomAndMutatedInputsNeverCrash) {
    std::mt19937 rng(20261122);
    auto valid = one_of_each();
    std::vector<std::vector<uint8_t>> seeds;
    for (const auto& m : valid) seeds.push_back(encode_message(m));
    std::vector<HeartbeatRequest> hbs{HeartbeatRequest{header(1), 1},
                                      HeartbeatRequest{header(2), 2}};
    seeds.push_back(encode_heartbeat_batch(hbs));
    seeds.push_back(make_hello_frame(Hello{NodeId(1), NodeId(2)}));
    size_t decoded = 0;
    for (int round = 0; round < 40000; ++round) {
        std::vector<uint8_t> body;
        if (round % 4 == 0) {
            body.resize(rng() % 64);
            for (auto& b : body) b = static_cast<uint8_t>(rng());
        } else {
            const auto& seed = seeds[rng() % seeds.size()];
            body.assign(seed.begin() + kFrameSizeBytes, seed.end());
            int flips = 1 + static_cast<int>(rng() % 4);
            for (int i = 0; i < flips && !body.empty(); ++i) {
                body[rng() % body.size()] = static_cast<uint8_t>(rng());
            }
            if (rng() % 3 == 0) body.resize(rng() % (body.size() + 1));
        }
        auto view = decode_frame_body(body);
        if (!view) continue;
        if (auto msg = decode_message(view.value())) {
            ++decoded;
            EXPECT_EQ(decode_whole(encode_message(msg.value())).value(), msg.value());
        }
        (void)decode_heartbeat_batch(view.value());
        (void)decode_heartbeat_response_batch(view.value());
        (void)decode_hello(view.value());
    }
    EXPECT_GT(decoded, 0u);
}

}  // namespace
}  // namespace broker::raft
