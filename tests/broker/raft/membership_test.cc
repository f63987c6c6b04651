#include "broker/raft/membership.h"

#include <gtest/gtest.h>

#include "broker/raft/errc.h"

namespace broker::raft {
namespace {

NodeId n(int32_t v) {
    return NodeId(v);
}

TEST(MembershipTest, OfSortsDeduplicatesAndKeepsVotersOutOfLearners) {
    Membership m = Membership::of({n(3), n(1), n(3)}, {n(2), n(1), n(2)});
    EXPECT_EQ(m.voters, (std::vector<NodeId>{n(1), n(3)}));
    EXPECT_EQ(m.learners, (std::vector<NodeId>{n(2)}));
    EXPECT_TRUE(m.is_voter(n(1)));
    EXPECT_TRUE(m.is_learner(n(2)));
    EXPECT_FALSE(m.contains(n(4)));
    EXPECT_EQ(m.quorum(), 2u);
    EXPECT_EQ(m.peers_of(n(1)), (std::vector<NodeId>{n(3), n(2)}));
}

TEST(MembershipTest, EncodeDecodeRoundTrips) {
    Membership m = Membership::of({n(1), n(2), n(5)}, {n(7)});
    auto decoded = Membership::decode(m.encode());
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded.value(), m);
}

TEST(MembershipTest, DecodeRejectsEveryTruncation) {
    Bytes bytes = Membership::of({n(1), n(2)}, {n(3)}).encode();
    for (size_t len = 0; len < bytes.size(); ++len) {
        auto decoded = Membership::decode(std::span<const uint8_t>(bytes.data(), len));
        EXPECT_EQ(decoded.error(), Errc::Malformed) << "length " << len;
    }
}

TEST(MembershipTest, DecodeRejectsTrailingBytesDuplicatesAndHugeCounts) {
    Bytes trailing = Membership::of({n(1)}).encode();
    trailing.push_back(0);
    EXPECT_FALSE(Membership::decode(trailing));

    Bytes dup = {0, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0};
    EXPECT_FALSE(Membership::decode(dup));

    Bytes huge = {0, 0xff, 0xff, 0xff, 0xff};
    EXPECT_FALSE(Membership::decode(huge));
}

}  // namespace
}  // namespace broker::raft
