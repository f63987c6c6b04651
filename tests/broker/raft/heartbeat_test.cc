#include <gtest/gtest.h>

#include "broker/raft/heartbeat_coalescer.h"
#include "broker/raft/rpc_codec.h"

namespace broker::raft {
namespace {

HeartbeatRequest hb(int64_t group, int to, int64_t commit) {
    return HeartbeatRequest{MessageHeader{GroupId(group), NodeId(1), NodeId(to), Term(3)}, commit};
}

HeartbeatResponse resp(int64_t group, int to) {
    return HeartbeatResponse{MessageHeader{GroupId(group), NodeId(1), NodeId(to), Term(3)}};
}

FrameView view_of(const std::vector<uint8_t>& frame) {
    return decode_frame_body(std::span(frame).subspan(kFrameSizeBytes)).value();
}

TEST(HeartbeatCoalescerTest, ThousandsOfGroupsToOnePeerTravelInOneFrame) {
    HeartbeatCoalescer c;
    for (int64_t g = 1; g <= 5000; ++g) c.add(hb(g, 2, g));
    auto frames = c.take_frames(NodeId(2));
    ASSERT_EQ(frames.size(), 1u);
    auto batch = decode_heartbeat_batch(view_of(frames[0])).value();
    ASSERT_EQ(batch.size(), 5000u);
    for (int64_t g = 1; g <= 5000; ++g) EXPECT_EQ(batch[static_cast<size_t>(g - 1)], hb(g, 2, g));
    EXPECT_FALSE(c.has_pending(NodeId(2)));
    EXPECT_TRUE(c.take_frames(NodeId(2)).empty());
    EXPECT_EQ(c.messages_taken(), 5000u);
    EXPECT_EQ(c.frames_taken(), 1u);
}

TEST(HeartbeatCoalescerTest, OnlyTheLatestHeartbeatOfAGroupIsSent) {
    HeartbeatCoalescer c;
    c.add(hb(7, 2, 10));
    c.add(hb(7, 2, 11));
    c.add(hb(8, 2, 5));
    auto batch = decode_heartbeat_batch(view_of(c.take_frames(NodeId(2)).at(0))).value();
    EXPECT_EQ(batch, (std::vector<HeartbeatRequest>{hb(7, 2, 11), hb(8, 2, 5)}));
}

TEST(HeartbeatCoalescerTest, PeersAreKeptApartAndResponsesGetTheirOwnBatch) {
    HeartbeatCoalescer c;
    c.add(hb(1, 2, 1));
    c.add(hb(1, 3, 1));
    c.add(resp(4, 2));
    c.add(resp(5, 2));
    EXPECT_EQ(c.pending_peers(), (std::vector<NodeId>{NodeId(2), NodeId(3)}));
    auto to2 = c.take_frames(NodeId(2));
    ASSERT_EQ(to2.size(), 2u);
    EXPECT_EQ(decode_heartbeat_batch(view_of(to2[0])).value(),
              (std::vector<HeartbeatRequest>{hb(1, 2, 1)}));
    EXPECT_EQ(decode_heartbeat_response_batch(view_of(to2[1])).value(),
              (std::vector<HeartbeatResponse>{resp(4, 2), resp(5, 2)}));
    EXPECT_EQ(c.pending_peers(), (std::vector<NodeId>{NodeId(3)}));
    auto to3 = c.take_frames(NodeId(3));
    ASSERT_EQ(to3.size(), 1u);
    EXPECT_EQ(decode_heartbeat_batch(view_of(to3[0])).value(),
              (std::vector<HeartbeatRequest>{hb(1, 3, 1)}));
}

}  // namespace
}  // namespace broker::raft
