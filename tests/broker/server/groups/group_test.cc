// The group state machine alone, with a fake clock (plain integers).
#include "broker/server/groups/group.h"

#include <gtest/gtest.h>

#include "tests/broker/server/groups/group_test_util.h"

namespace broker::server::groups {
namespace {

using testing::consumer_join;
using testing::subscription;

class GroupTest : public ::testing::Test {
  protected:
    GroupTest() { config_.initial_rebalance_delay_ms = 0; }

    // Joins `member` (already known by id, or new with id `id`), expecting a held request.
    void join_held(Group& g, JoinArgs args) {
        auto out = g.join(std::move(args), now_);
        ASSERT_FALSE(out.reply.has_value());
    }

    std::map<std::string, JoinReply> join_replies(Group& g) {
        std::map<std::string, JoinReply> out;
        for (auto& d : g.take_deliveries()) {
            if (auto* j = std::get_if<JoinReply>(&d.reply)) out[d.member_id] = *j;
        }
        return out;
    }
    std::map<std::string, SyncReply> sync_replies(Group& g) {
        std::map<std::string, SyncReply> out;
        for (auto& d : g.take_deliveries()) {
            if (auto* s = std::get_if<SyncReply>(&d.reply)) out[d.member_id] = *s;
        }
        return out;
    }

    // Two members a and b join and sync; returns with the group Stable at generation 1.
    void stable_pair(Group& g) {
        join_held(g, consumer_join("", "a"));
        auto first = join_replies(g);
        ASSERT_EQ(first.count("a"), 1u);  // a alone completes generation 1
        sync_leader(g, "a", 1, {{"a", {1}}});
        join_held(g, consumer_join("", "b"));  // b triggers a rebalance
        ASSERT_EQ(g.state(), GroupState::PreparingRebalance);
        join_held(g, consumer_join("a", "unused"));
        auto second = join_replies(g);
        ASSERT_EQ(second.size(), 2u);
        ASSERT_EQ(g.generation(), 2);
        sync_leader(g, "a", 2, {{"a", {1}}, {"b", {2}}});
        auto b = g.sync({"b", std::nullopt, 2, std::nullopt, std::nullopt, {}}, now_);
        ASSERT_TRUE(b.reply.has_value());
        ASSERT_EQ(b.reply->assignment, Bytes{2});
    }

    void sync_leader(Group& g, const std::string& leader, int32_t generation,
                     std::vector<std::pair<std::string, Bytes>> assignments) {
        auto out = g.sync(
            {leader, std::nullopt, generation, std::nullopt, std::nullopt, std::move(assignments)},
            now_);
        ASSERT_FALSE(out.reply.has_value());
        ASSERT_TRUE(out.write_assignment);
        g.assignment_stored(generation, ErrorCode::None, now_);
        ASSERT_EQ(g.state(), GroupState::Stable);
        sync_replies(g);
    }

    GroupConfig config_;
    int64_t now_ = 1'000'000;
};

TEST_F(GroupTest, NewGroupIsEmptyAtGenerationZero) {
    Group g("g", config_, now_);
    EXPECT_EQ(g.state(), GroupState::Empty);
    EXPECT_EQ(g.generation(), 0);
    EXPECT_EQ(state_name(g.state()), "Empty");
}

TEST_F(GroupTest, FirstMemberCompletesGenerationOneAsLeaderWithAllMetadata) {
    Group g("g", config_, now_);
    join_held(g, consumer_join("", "a"));
    auto replies = join_replies(g);
    ASSERT_EQ(replies.count("a"), 1u);
    const auto& r = replies["a"];
    EXPECT_EQ(r.error, ErrorCode::None);
    EXPECT_EQ(r.generation, 1);
    EXPECT_EQ(r.leader, "a");
    EXPECT_EQ(r.member_id, "a");
    EXPECT_EQ(r.protocol_name, "range");
    ASSERT_EQ(r.members.size(), 1u);
    EXPECT_EQ(r.members[0].metadata, subscription({"t"}));
    EXPECT_EQ(g.state(), GroupState::CompletingRebalance);
}

TEST_F(GroupTest, InitialRebalanceDelayHoldsTheFirstJoinUntilItPasses) {
    config_.initial_rebalance_delay_ms = 3000;
    Group g("g", config_, now_);
    join_held(g, consumer_join("", "a"));
    EXPECT_TRUE(join_replies(g).empty());
    EXPECT_EQ(g.state(), GroupState::PreparingRebalance);
    now_ += 2000;
    join_held(g, consumer_join("", "b"));  // a new member extends the delay
    EXPECT_EQ(g.next_deadline(), now_ + 3000);
    now_ += 3000;
    g.advance(now_);
    auto replies = join_replies(g);
    ASSERT_EQ(replies.size(), 2u);
    EXPECT_EQ(replies["a"].generation, 1);
    EXPECT_EQ(replies["a"].members.size(), 2u);
    EXPECT_TRUE(replies["b"].members.empty());
    EXPECT_EQ(replies["b"].leader, "a");
}

TEST_F(GroupTest, JoinV4WithoutMemberIdAnswersMemberIdRequiredThenAcceptsThatId) {
    Group g("g", config_, now_);
    auto args = consumer_join("", "m-1");
    args.require_known_member_id = true;
    auto out = g.join(args, now_);
    ASSERT_TRUE(out.reply.has_value());
    EXPECT_EQ(out.reply->error, ErrorCode::MemberIdRequired);
    EXPECT_EQ(out.reply->member_id, "m-1");
    EXPECT_EQ(g.state(), GroupState::Empty);
    join_held(g, consumer_join("m-1", "other"));
    auto replies = join_replies(g);
    ASSERT_EQ(replies.count("m-1"), 1u);
    EXPECT_EQ(replies["m-1"].generation, 1);
}

TEST_F(GroupTest, PendingMemberThatNeverRejoinsExpiresAfterSessionTimeout) {
    Group g("g", config_, now_);
    auto args = consumer_join("", "m-1");
    args.require_known_member_id = true;
    (void)g.join(args, now_);
    now_ += args.session_timeout_ms;
    g.advance(now_);
    auto again = g.join(consumer_join("m-1", "x"), now_);
    ASSERT_TRUE(again.reply.has_value());
    EXPECT_EQ(again.reply->error, ErrorCode::UnknownMemberId);
}

TEST_F(GroupTest, SyncDeliversTheLeadersAssignmentToEveryMemberOnceStored) {
    Group g("g", config_, now_);
    join_held(g, consumer_join("", "a"));
    join_held(g, consumer_join("", "b"));
    // a completed generation 1 alone; b's join started generation 2
    join_held(g, consumer_join("a", "x"));
    auto joined = join_replies(g);
    ASSERT_EQ(joined["b"].generation, 2);
    auto b = g.sync({"b", std::nullopt, 2, std::nullopt, std::nullopt, {}}, now_);
    EXPECT_FALSE(b.reply.has_value());
    EXPECT_FALSE(b.write_assignment);
    auto a = g.sync({"a", std::nullopt, 2, "consumer", "range", {{"a", {7}}, {"b", {8}}}}, now_);
    ASSERT_TRUE(a.write_assignment);
    EXPECT_EQ(g.record().members.size(), 2u);
    EXPECT_TRUE(sync_replies(g).empty());  // nothing before the write completes
    g.assignment_stored(2, ErrorCode::None, now_);
    auto synced = sync_replies(g);
    ASSERT_EQ(synced.size(), 2u);
    EXPECT_EQ(synced["a"].assignment, Bytes{7});
    EXPECT_EQ(synced["b"].assignment, Bytes{8});
    EXPECT_EQ(synced["b"].protocol_name, "range");
    EXPECT_EQ(g.state(), GroupState::Stable);
}

TEST_F(GroupTest, FailedAssignmentWriteFailsTheSyncsAndRebalances) {
    Group g("g", config_, now_);
    join_held(g, consumer_join("", "a"));
    join_replies(g);
    auto a = g.sync({"a", std::nullopt, 1, std::nullopt, std::nullopt, {{"a", {1}}}}, now_);
    ASSERT_TRUE(a.write_assignment);
    g.assignment_stored(1, ErrorCode::CoordinatorNotAvailable, now_);
    auto synced = sync_replies(g);
    EXPECT_EQ(synced["a"].error, ErrorCode::CoordinatorNotAvailable);
    EXPECT_EQ(g.state(), GroupState::PreparingRebalance);
}

TEST_F(GroupTest, HeartbeatAnswersRebalanceInProgressDuringARebalance) {
    Group g("g", config_, now_);
    stable_pair(g);
    EXPECT_EQ(g.heartbeat("b", std::nullopt, 2, now_), ErrorCode::None);
    join_held(g, consumer_join("", "c"));
    EXPECT_EQ(g.state(), GroupState::PreparingRebalance);
    EXPECT_EQ(g.heartbeat("b", std::nullopt, 2, now_), ErrorCode::RebalanceInProgress);
}

TEST_F(GroupTest, HeartbeatErrorsFollowKafka) {
    Group g("g", config_, now_);
    stable_pair(g);
    EXPECT_EQ(g.heartbeat("nobody", std::nullopt, 2, now_), ErrorCode::UnknownMemberId);
    EXPECT_EQ(g.heartbeat("a", std::nullopt, 1, now_), ErrorCode::IllegalGeneration);
    auto sync = g.sync({"a", std::nullopt, 5, std::nullopt, std::nullopt, {}}, now_);
    EXPECT_EQ(sync.reply->error, ErrorCode::IllegalGeneration);
    sync = g.sync({"zz", std::nullopt, 2, std::nullopt, std::nullopt, {}}, now_);
    EXPECT_EQ(sync.reply->error, ErrorCode::UnknownMemberId);
    sync = g.sync({"a", std::nullopt, 2, std::string("connect"), std::nullopt, {}}, now_);
    EXPECT_EQ(sync.reply->error, ErrorCode::InconsistentGroupProtocol);
}

TEST_F(GroupTest, SyncDuringPreparingRebalanceAnswersRebalanceInProgress) {
    Group g("g", config_, now_);
    stable_pair(g);
    join_held(g, consumer_join("", "c"));
    auto sync = g.sync({"b", std::nullopt, 2, std::nullopt, std::nullopt, {}}, now_);
    EXPECT_EQ(sync.reply->error, ErrorCode::RebalanceInProgress);
}

TEST_F(GroupTest, MemberThatDoesNotRejoinIsRemovedAtTheRebalanceTimeout) {
    Group g("g", config_, now_);
    stable_pair(g);
    join_held(g, consumer_join("a", "x"));  // the leader rejoins: rebalance
    EXPECT_EQ(g.state(), GroupState::PreparingRebalance);
    EXPECT_EQ(g.heartbeat("b", std::nullopt, 2, now_), ErrorCode::RebalanceInProgress);
    now_ += 30000;  // b keeps heartbeating but never rejoins
    g.heartbeat("b", std::nullopt, 2, now_ - 1);
    g.advance(now_);
    auto replies = join_replies(g);
    ASSERT_EQ(replies.count("a"), 1u);
    EXPECT_EQ(replies["a"].generation, 3);
    EXPECT_FALSE(g.has_member("b"));
    EXPECT_EQ(g.heartbeat("b", std::nullopt, 3, now_), ErrorCode::UnknownMemberId);
}

TEST_F(GroupTest, SessionTimeoutRemovesASilentMemberAndRebalances) {
    Group g("g", config_, now_);
    stable_pair(g);
    now_ += 9000;
    EXPECT_EQ(g.heartbeat("a", std::nullopt, 2, now_), ErrorCode::None);
    now_ += 1000;  // b's 10 s session ends
    EXPECT_EQ(g.next_deadline(), now_);
    g.advance(now_);
    EXPECT_FALSE(g.has_member("b"));
    EXPECT_EQ(g.state(), GroupState::PreparingRebalance);
    EXPECT_EQ(g.heartbeat("a", std::nullopt, 2, now_), ErrorCode::RebalanceInProgress);
    join_held(g, consumer_join("a", "x"));
    EXPECT_EQ(join_replies(g)["a"].generation, 3);
}

TEST_F(GroupTest, LastMemberLeavingEmptiesTheGroupAndAsksForARecordWrite) {
    Group g("g", config_, now_);
    stable_pair(g);
    EXPECT_EQ(g.leave("a", std::nullopt, now_), ErrorCode::None);
    EXPECT_EQ(g.leader(), "b");
    EXPECT_EQ(g.state(), GroupState::PreparingRebalance);
    join_held(g, consumer_join("b", "x"));
    join_replies(g);
    EXPECT_EQ(g.leave("b", std::nullopt, now_), ErrorCode::None);
    EXPECT_EQ(g.state(), GroupState::Empty);
    EXPECT_EQ(g.generation(), 4);
    EXPECT_TRUE(g.take_record_dirty());
    EXPECT_FALSE(g.take_record_dirty());
    EXPECT_TRUE(g.record().members.empty());
    EXPECT_EQ(g.leave("b", std::nullopt, now_), ErrorCode::UnknownMemberId);
}

TEST_F(GroupTest, LeavingMemberWithAHeldJoinGetsUnknownMemberId) {
    Group g("g", config_, now_);
    stable_pair(g);
    join_held(g, consumer_join("a", "x"));  // held: b has not rejoined
    EXPECT_EQ(g.leave("a", std::nullopt, now_), ErrorCode::None);
    auto replies = join_replies(g);
    EXPECT_EQ(replies["a"].error, ErrorCode::UnknownMemberId);
}

TEST_F(GroupTest, SessionTimeoutOutsideTheBrokerLimitsIsRefused) {
    Group g("g", config_, now_);
    auto args = consumer_join("", "a");
    args.session_timeout_ms = config_.min_session_timeout_ms - 1;
    EXPECT_EQ(g.join(args, now_).reply->error, ErrorCode::InvalidSessionTimeout);
    args.session_timeout_ms = config_.max_session_timeout_ms + 1;
    EXPECT_EQ(g.join(args, now_).reply->error, ErrorCode::InvalidSessionTimeout);
}

TEST_F(GroupTest, ProtocolsNoMemberSharesAreInconsistent) {
    Group g("g", config_, now_);
    stable_pair(g);
    auto other_type = consumer_join("", "c");
    other_type.protocol_type = "connect";
    EXPECT_EQ(g.join(other_type, now_).reply->error, ErrorCode::InconsistentGroupProtocol);
    auto other_protocol = consumer_join("", "c");
    other_protocol.protocols = {{"sticky", subscription({"t"})}};
    EXPECT_EQ(g.join(other_protocol, now_).reply->error, ErrorCode::InconsistentGroupProtocol);
    auto none = consumer_join("", "c");
    none.protocols.clear();
    Group empty("e", config_, now_);
    EXPECT_EQ(empty.join(none, now_).reply->error, ErrorCode::InconsistentGroupProtocol);
}

TEST_F(GroupTest, TheProtocolMostMembersPreferWins) {
    Group g("g", config_, now_);
    auto a = consumer_join("", "a");
    a.protocols = {{"range", {}}, {"cooperative-sticky", {}}};
    join_held(g, a);
    join_replies(g);
    auto b = consumer_join("", "b");
    b.protocols = {{"cooperative-sticky", {}}, {"range", {}}};
    auto c = b;
    c.new_member_id = "c";
    join_held(g, b);
    join_held(g, c);
    a.member_id = "a";
    join_held(g, a);
    auto replies = join_replies(g);
    EXPECT_EQ(replies["a"].protocol_name, "cooperative-sticky");
    EXPECT_EQ(g.protocol(), "cooperative-sticky");
}

TEST_F(GroupTest, GroupMaxSizeRefusesTheExtraMember) {
    config_.max_size = 2;
    Group g("g", config_, now_);
    stable_pair(g);
    EXPECT_EQ(g.join(consumer_join("", "c"), now_).reply->error, ErrorCode::GroupMaxSizeReached);
}

TEST_F(GroupTest, FollowerRejoiningUnchangedInAStableGroupGetsTheCurrentGeneration) {
    Group g("g", config_, now_);
    stable_pair(g);
    auto out = g.join(consumer_join("b", "x"), now_);
    ASSERT_TRUE(out.reply.has_value());
    EXPECT_EQ(out.reply->generation, 2);
    EXPECT_EQ(out.reply->leader, "a");
    EXPECT_EQ(g.state(), GroupState::Stable);
}

TEST_F(GroupTest, StaticMemberRestartingGetsItsAssignmentBackWithoutARebalance) {
    Group g("g", config_, now_);
    auto s1 = consumer_join("", "s-1");
    s1.instance_id = "i1";
    join_held(g, s1);
    join_replies(g);
    sync_leader(g, "s-1", 1, {{"s-1", {9}}});
    // restart: same instance, no member id
    auto s2 = consumer_join("", "s-2");
    s2.instance_id = "i1";
    auto out = g.join(s2, now_);
    ASSERT_TRUE(out.reply.has_value());
    EXPECT_TRUE(out.write_first);
    EXPECT_EQ(out.reply->member_id, "s-2");
    EXPECT_EQ(out.reply->generation, 1);
    EXPECT_EQ(g.state(), GroupState::Stable);
    auto sync = g.sync({"s-2", "i1", 1, std::nullopt, std::nullopt, {}}, now_);
    EXPECT_EQ(sync.reply->assignment, Bytes{9});
    // the old member id is fenced
    EXPECT_EQ(g.heartbeat("s-1", std::string("i1"), 1, now_), ErrorCode::FencedInstanceId);
    EXPECT_EQ(g.heartbeat("s-2", std::string("i1"), 1, now_), ErrorCode::None);
    EXPECT_EQ(g.validate_commit("s-1", std::string("i1"), 1, now_), ErrorCode::FencedInstanceId);
}

TEST_F(GroupTest, StaticMemberRejoiningWithOtherProtocolsTriggersARebalance) {
    Group g("g", config_, now_);
    auto s1 = consumer_join("", "s-1");
    s1.instance_id = "i1";
    join_held(g, s1);
    join_replies(g);
    sync_leader(g, "s-1", 1, {{"s-1", {9}}});
    auto s2 = consumer_join("", "s-2");
    s2.instance_id = "i1";
    s2.protocols = {{"roundrobin", {}}};
    auto out = g.join(s2, now_);
    EXPECT_FALSE(out.reply.has_value());
    auto replies = join_replies(g);
    EXPECT_EQ(replies["s-2"].generation, 2);
    EXPECT_EQ(replies["s-2"].protocol_name, "roundrobin");
}

TEST_F(GroupTest, StaticMemberReplacedWhileHoldingAJoinIsFenced) {
    config_.initial_rebalance_delay_ms = 1000;
    Group g("g", config_, now_);
    auto s1 = consumer_join("", "s-1");
    s1.instance_id = "i1";
    join_held(g, s1);
    auto s2 = consumer_join("", "s-2");
    s2.instance_id = "i1";
    join_held(g, s2);
    auto replies = join_replies(g);
    EXPECT_EQ(replies["s-1"].error, ErrorCode::FencedInstanceId);
    now_ += 1000;
    g.advance(now_);
    replies = join_replies(g);
    EXPECT_EQ(replies["s-2"].generation, 1);
    EXPECT_EQ(g.members().size(), 1u);
}

TEST_F(GroupTest, BatchLeaveByInstanceIdGivesPerMemberErrors) {
    Group g("g", config_, now_);
    auto s1 = consumer_join("", "s-1");
    s1.instance_id = "i1";
    join_held(g, s1);
    join_replies(g);
    EXPECT_EQ(g.leave("", std::string("nope"), now_), ErrorCode::UnknownMemberId);
    EXPECT_EQ(g.leave("wrong", std::string("i1"), now_), ErrorCode::FencedInstanceId);
    EXPECT_EQ(g.leave("", std::string("i1"), now_), ErrorCode::None);
    EXPECT_EQ(g.state(), GroupState::Empty);
}

TEST_F(GroupTest, CommitsFollowKafkasMembershipChecks) {
    Group g("g", config_, now_);
    EXPECT_EQ(g.validate_commit("", std::nullopt, -1, now_), ErrorCode::None);  // simple commit
    stable_pair(g);
    EXPECT_EQ(g.validate_commit("", std::nullopt, -1, now_), ErrorCode::UnknownMemberId);
    EXPECT_EQ(g.validate_commit("a", std::nullopt, 2, now_), ErrorCode::None);
    EXPECT_EQ(g.validate_commit("a", std::nullopt, 1, now_), ErrorCode::IllegalGeneration);
    EXPECT_EQ(g.validate_commit("x", std::nullopt, 2, now_), ErrorCode::UnknownMemberId);
    join_held(g, consumer_join("a", "x"));
    // PreparingRebalance: the old generation may still commit
    EXPECT_EQ(g.validate_commit("b", std::nullopt, 2, now_), ErrorCode::None);
    join_held(g, consumer_join("b", "x"));
    join_replies(g);
    EXPECT_EQ(g.state(), GroupState::CompletingRebalance);
    EXPECT_EQ(g.validate_commit("b", std::nullopt, 3, now_), ErrorCode::RebalanceInProgress);
}

TEST_F(GroupTest, EmptyGroupOffsetsExpireRetentionAfterTheGroupEmptied) {
    Group g("g", config_, now_);
    stable_pair(g);
    g.apply_offsets({{{"t", 0}, {5, -1, "", now_, -1}}, {{"u", 0}, {6, -1, "", now_, -1}}});
    const int64_t retention = 100000;
    now_ += retention;
    // Stable: only topics nobody subscribes to expire
    auto expired = g.expired_offsets(now_, retention);
    ASSERT_EQ(expired.size(), 1u);
    EXPECT_EQ(expired[0].topic, "u");
    g.leave("a", std::nullopt, now_);
    g.leave("b", std::nullopt, now_);
    ASSERT_EQ(g.state(), GroupState::Empty);
    EXPECT_TRUE(g.expired_offsets(now_ + retention - 1, retention).empty());
    EXPECT_EQ(g.expired_offsets(now_ + retention, retention).size(), 2u);
}

TEST_F(GroupTest, SimpleCommitOffsetsExpireFromTheirCommitAndExplicitExpiryWins) {
    Group g("g", config_, now_);
    g.apply_offsets({{{"t", 0}, {5, -1, "", now_, -1}}, {{"t", 1}, {6, -1, "", now_, now_ + 10}}});
    auto expired = g.expired_offsets(now_ + 10, 1000);
    ASSERT_EQ(expired.size(), 1u);
    EXPECT_EQ(expired[0].partition, 1);
    EXPECT_EQ(g.expired_offsets(now_ + 1000, 1000).size(), 2u);
}

TEST_F(GroupTest, RestoredGroupIsStableWithItsMembersAndAcceptsTheirHeartbeats) {
    Group g("g", config_, now_);
    stable_pair(g);
    LoadedGroup loaded{"g", g.record(), {{{"t", 0}, {5, -1, "m", now_, -1}}}};
    Group back = Group::restore(loaded, config_, now_);
    EXPECT_EQ(back.state(), GroupState::Stable);
    EXPECT_EQ(back.generation(), 2);
    EXPECT_EQ(back.leader(), "a");
    EXPECT_EQ(back.heartbeat("b", std::nullopt, 2, now_), ErrorCode::None);
    EXPECT_EQ(back.offsets().at({"t", 0}).offset, 5);
    auto sync = back.sync({"b", std::nullopt, 2, std::nullopt, std::nullopt, {}}, now_);
    EXPECT_EQ(sync.reply->assignment, Bytes{2});
    EXPECT_EQ(back.subscribed_topics(), std::set<std::string>{"t"});
}

TEST_F(GroupTest, StatesParseCaseInsensitively) {
    EXPECT_EQ(parse_state("stable"), GroupState::Stable);
    EXPECT_EQ(parse_state("COMPLETINGREBALANCE"), GroupState::CompletingRebalance);
    EXPECT_FALSE(parse_state("bogus").has_value());
}

}  // namespace
}  // namespace broker::server::groups
