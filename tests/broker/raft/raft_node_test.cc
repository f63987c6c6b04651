// RaftNode behaviours, one at a time. Single-node tests drive one RaftNode by hand (capturing
// what it sends); group tests run real nodes in the deterministic SimCluster without random
// faults, adding exactly the fault each test is about.

#include "broker/raft/raft_node.h"

#include <gtest/gtest.h>

#include "broker/raft/errc.h"
#include "broker/raft/mem_log_storage.h"
#include "tests/broker/raft/sim/sim_cluster.h"

namespace broker::raft {
namespace {

using sim::SimCluster;
using sim::SimOptions;

NodeId n(int32_t v) {
    return NodeId(v);
}

Bytes bytes(uint8_t v) {
    return Bytes{v};
}

// Keeps what the node sends.
class CapturingTransport final : public Transport {
  public:
    void send(Message msg) override { sent.push_back(std::move(msg)); }
    template <class T>
    std::vector<T> take() {
        std::vector<T> out;
        for (auto& m : sent) {
            if (auto* t = std::get_if<T>(&m)) {
                out.push_back(*t);
            }
        }
        sent.clear();
        return out;
    }
    std::vector<Message> sent;
};

// Records applied entries.
class RecordingStateMachine final : public StateMachine {
  public:
    void apply(const Entry& e) override { applied.push_back(e); }
    common::Result<Bytes> take_snapshot() override { return Bytes{}; }
    common::Result<void> restore_snapshot(const SnapshotMeta&, const Bytes&) override {
        return common::ok();
    }
    std::vector<Entry> applied;
};

RaftConfig config_for(int32_t self) {
    RaftConfig c;
    c.group = GroupId(7);
    c.self = n(self);
    c.election_timeout_min = Millis(100);
    c.election_timeout_max = Millis(200);
    c.heartbeat_interval = Millis(20);
    c.seed = 42;
    return c;
}

// One node driven by hand.
struct Solo {
    explicit Solo(RaftConfig config) : node(config, storage, sm, transport) {}
    explicit Solo(int32_t self) : Solo(config_for(self)) {}
    MemLogStorage storage;
    RecordingStateMachine sm;
    CapturingTransport transport;
    RaftNode node;
};

TEST(RaftNodeTest, SingleVoterBecomesLeaderOnlyOnceItsVoteIsDurable) {
    Solo s(1);
    ASSERT_TRUE(s.node.start(Millis(0), Membership::of({n(1)})));
    s.node.tick(Millis(1000));
    EXPECT_EQ(s.node.role(), Role::Candidate);
    EXPECT_EQ(s.storage.hard_state().voted_for, n(1));
    s.node.on_flushed(s.storage.complete_all_flushes().value());
    EXPECT_EQ(s.node.role(), Role::Leader);
}

TEST(RaftNodeTest, SingleVoterCommitsAProposalOnlyAfterItsFlush) {
    Solo s(1);
    ASSERT_TRUE(s.node.start(Millis(0), Membership::of({n(1)})));
    s.node.tick(Millis(1000));
    s.node.on_flushed(s.storage.complete_all_flushes().value());
    s.node.on_flushed(s.storage.complete_all_flushes().value());  // the leader's noop
    ASSERT_TRUE(s.node.leader_ready());
    auto pos = s.node.propose(bytes(9));
    ASSERT_TRUE(pos);
    EXPECT_LT(s.node.commit_index(), pos.value().index);
    s.node.on_flushed(s.storage.complete_all_flushes().value());
    EXPECT_EQ(s.node.commit_index(), pos.value().index);
    ASSERT_FALSE(s.sm.applied.empty());
    EXPECT_EQ(s.sm.applied.back().payload, bytes(9));
}

TEST(RaftNodeTest, VoteIsSentOnlyAfterTheVoteIsDurable) {
    Solo s(2);
    ASSERT_TRUE(s.node.start(Millis(0), Membership::of({n(1), n(2), n(3)})));
    VoteRequest req{MessageHeader{GroupId(7), n(1), n(2), Term(1)}, 0, Term(0), false, false};
    s.node.step(req);
    EXPECT_TRUE(s.transport.take<VoteResponse>().empty());
    s.node.on_flushed(s.storage.complete_all_flushes().value());
    auto votes = s.transport.take<VoteResponse>();
    ASSERT_EQ(votes.size(), 1u);
    EXPECT_TRUE(votes[0].granted);
    EXPECT_EQ(s.storage.durable().hard_state, (HardState{Term(1), n(1)}));
}

TEST(RaftNodeTest, AppendIsAcknowledgedOnlyAfterTheEntriesAreDurable) {
    Solo s(2);
    ASSERT_TRUE(s.node.start(Millis(0), Membership::of({n(1), n(2), n(3)})));
    AppendEntriesRequest req{MessageHeader{GroupId(7), n(1), n(2), Term(1)},
                             0,
                             Term(0),
                             0,
                             {Entry{Term(1), 1, EntryType::Noop, {}}}};
    s.node.step(req);
    EXPECT_TRUE(s.transport.take<AppendEntriesResponse>().empty());
    s.node.on_flushed(s.storage.complete_all_flushes().value());
    auto acks = s.transport.take<AppendEntriesResponse>();
    ASSERT_EQ(acks.size(), 1u);
    EXPECT_TRUE(acks[0].success);
    EXPECT_EQ(acks[0].match_index, 1);
    EXPECT_EQ(s.node.leader(), n(1));
}

TEST(RaftNodeTest, RejectedAppendCarriesTheFirstIndexOfTheConflictingTerm) {
    Solo s(2);
    ASSERT_TRUE(s.node.start(Millis(0), Membership::of({n(1), n(2), n(3)})));
    std::vector<Entry> mine;
    for (Index i = 1; i <= 5; ++i) {
        mine.push_back(Entry{Term(i <= 2 ? 1 : 2), i, EntryType::Data, {}});
    }
    s.node.step(
        AppendEntriesRequest{MessageHeader{GroupId(7), n(1), n(2), Term(2)}, 0, Term(0), 0, mine});
    s.node.on_flushed(s.storage.complete_all_flushes().value());
    s.transport.sent.clear();
    // A leader of term 3 whose entry 5 has term 3: we hold term 2 from index 3.
    s.node.step(
        AppendEntriesRequest{MessageHeader{GroupId(7), n(3), n(2), Term(3)}, 5, Term(3), 0, {}});
    auto resp = s.transport.take<AppendEntriesResponse>();
    ASSERT_EQ(resp.size(), 1u);
    EXPECT_FALSE(resp[0].success);
    EXPECT_EQ(resp[0].conflict_term, Term(2));
    EXPECT_EQ(resp[0].conflict_index, 3);
}

TEST(RaftNodeTest, HeartbeatFromAStaleLeaderIsAnsweredWithTheNewerTerm) {
    Solo s(2);
    ASSERT_TRUE(s.node.start(Millis(0), Membership::of({n(1), n(2), n(3)})));
    s.node.step(HeartbeatRequest{MessageHeader{GroupId(7), n(3), n(2), Term(5)}, 0});
    s.transport.sent.clear();
    s.node.step(HeartbeatRequest{MessageHeader{GroupId(7), n(1), n(2), Term(4)}, 0});
    auto resp = s.transport.take<HeartbeatResponse>();
    ASSERT_EQ(resp.size(), 1u);
    EXPECT_EQ(resp[0].header.term, Term(5));
    EXPECT_EQ(s.node.leader(), n(3));
}

TEST(RaftNodeTest, MessagesForAnotherGroupOrNodeAreIgnored) {
    Solo s(2);
    ASSERT_TRUE(s.node.start(Millis(0), Membership::of({n(1), n(2), n(3)})));
    s.node.step(HeartbeatRequest{MessageHeader{GroupId(8), n(1), n(2), Term(5)}, 0});
    s.node.step(HeartbeatRequest{MessageHeader{GroupId(7), n(1), n(3), Term(5)}, 0});
    EXPECT_EQ(s.node.term(), Term(0));
    EXPECT_TRUE(s.transport.sent.empty());
}

TEST(RaftNodeTest, MalformedAppendIsDroppedWithoutTouchingTheLog) {
    Solo s(2);
    ASSERT_TRUE(s.node.start(Millis(0), Membership::of({n(1), n(2), n(3)})));
    MessageHeader h{GroupId(7), n(1), n(2), Term(1)};
    // A gap in the indexes, then a term above the sender's.
    s.node.step(AppendEntriesRequest{
        h,
        0,
        Term(0),
        0,
        {Entry{Term(1), 1, EntryType::Data, {}}, Entry{Term(1), 3, EntryType::Data, {}}}});
    s.node.step(AppendEntriesRequest{h, 0, Term(0), 0, {Entry{Term(2), 1, EntryType::Data, {}}}});
    EXPECT_EQ(s.storage.last_index(), 0);
    EXPECT_FALSE(s.node.stopped());
    EXPECT_TRUE(s.transport.sent.empty());
}

TEST(RaftNodeTest, ALearnerNeverCampaigns) {
    Solo s(4);
    ASSERT_TRUE(s.node.start(Millis(0), Membership::of({n(1), n(2), n(3)}, {n(4)})));
    for (int t = 0; t < 50; ++t) {
        s.node.tick(Millis(100 * t));
    }
    EXPECT_EQ(s.node.role(), Role::Follower);
    EXPECT_EQ(s.node.term(), Term(0));
    EXPECT_TRUE(s.transport.sent.empty());
}

TEST(RaftNodeTest, OwnerDrivenHeartbeatsComeFromHeartbeatTo) {
    RaftConfig config = config_for(1);
    config.heartbeat_interval = Millis(0);
    Solo s(config);
    ASSERT_TRUE(s.node.start(Millis(0), Membership::of({n(1), n(2)})));
    EXPECT_FALSE(s.node.heartbeat_to(n(2)));  // not leading
    s.node.tick(Millis(1000));                // pre-vote
    s.node.step(VoteResponse{MessageHeader{GroupId(7), n(2), n(1), Term(1)}, true, true});
    s.node.on_flushed(s.storage.complete_all_flushes().value());
    s.node.step(VoteResponse{MessageHeader{GroupId(7), n(2), n(1), Term(1)}, false, true});
    ASSERT_TRUE(s.node.is_leader());
    s.transport.sent.clear();
    s.node.tick(Millis(1100));
    EXPECT_TRUE(s.transport.take<HeartbeatRequest>().empty());
    auto hb = s.node.heartbeat_to(n(2));
    ASSERT_TRUE(hb);
    EXPECT_EQ(hb->header.group, GroupId(7));
    EXPECT_EQ(hb->header.to, n(2));
    EXPECT_FALSE(s.node.heartbeat_to(n(3)));  // not a member
}

// ---- groups in the simulator ----

SimOptions quiet(int founders, int pool) {
    SimOptions o;
    o.founders = founders;
    o.pool = pool;
    o.raft.election_timeout_min = Millis(150);
    o.raft.election_timeout_max = Millis(300);
    o.raft.heartbeat_interval = Millis(30);
    o.raft.replica_lag_max = Millis(500);
    return o;
}

RaftNode* await_leader(SimCluster& c) {
    EXPECT_TRUE(c.run_until(
        [&] {
            RaftNode* l = c.leader();
            return l != nullptr && l->leader_ready();
        },
        Millis(5000)));
    return c.leader();
}

bool await_applied(SimCluster& c, const std::vector<NodeId>& ids, Index index) {
    return c.run_until(
        [&] {
            for (NodeId id : ids) {
                if (c.node(id) == nullptr || c.node(id)->applied_index() < index) {
                    return false;
                }
            }
            return true;
        },
        Millis(5000));
}

TEST(RaftGroupTest, ThreeNodesElectOneLeaderAndApplyAProposalEverywhere) {
    SimCluster c(1, quiet(3, 3));
    RaftNode* l = await_leader(c);
    ASSERT_NE(l, nullptr);
    auto pos = l->propose(bytes(1));
    ASSERT_TRUE(pos);
    EXPECT_TRUE(await_applied(c, {n(1), n(2), n(3)}, pos.value().index));
    for (NodeId id : {n(1), n(2), n(3)}) {
        EXPECT_EQ(c.node(id)->leader(), l->id());
    }
    EXPECT_TRUE(c.checker().ok());
}

TEST(RaftGroupTest, ProposalToAFollowerIsRefusedWithNotLeader) {
    SimCluster c(2, quiet(3, 3));
    RaftNode* l = await_leader(c);
    ASSERT_NE(l, nullptr);
    NodeId follower = l->id() == n(1) ? n(2) : n(1);
    EXPECT_EQ(c.node(follower)->propose(bytes(1)).error(), Errc::NotLeader);
}

TEST(RaftGroupTest, ManyProposalsArePipelinedInBatches) {
    SimOptions o = quiet(3, 3);
    o.raft.max_inflight_appends = 2;
    SimCluster c(3, o);
    RaftNode* l = await_leader(c);
    ASSERT_NE(l, nullptr);
    Index last = 0;
    for (int i = 0; i < 200; ++i) {
        last = l->propose(bytes(static_cast<uint8_t>(i))).value().index;
    }
    EXPECT_TRUE(await_applied(c, {n(1), n(2), n(3)}, last));
    // 200 proposals needed far fewer than 200 round trips per follower.
    EXPECT_LT(c.network().delivered(), 2000u);
}

TEST(RaftGroupTest, PartitionedFollowerDoesNotDisruptTheLeaderWhenItReturns) {
    SimCluster c(4, quiet(3, 3));
    RaftNode* l = await_leader(c);
    ASSERT_NE(l, nullptr);
    NodeId leader = l->id();
    Term term = l->term();
    NodeId cut = leader == n(3) ? n(2) : n(3);
    c.network().partition({{cut, 1}});
    c.run_for(Millis(3000));
    EXPECT_EQ(c.node(cut)->term(), term);  // pre-vote never succeeded: no term inflation
    c.network().heal();
    c.run_for(Millis(1000));
    ASSERT_NE(c.leader(), nullptr);
    EXPECT_EQ(c.leader()->id(), leader);
    EXPECT_EQ(c.leader()->term(), term);
}

TEST(RaftGroupTest, LeaderCutOffFromTheQuorumStepsDownAndTheMajorityElectsAnother) {
    SimCluster c(5, quiet(3, 3));
    RaftNode* l = await_leader(c);
    ASSERT_NE(l, nullptr);
    NodeId old = l->id();
    c.network().partition({{old, 1}});
    c.run_for(Millis(2000));
    EXPECT_FALSE(c.node(old)->is_leader());
    RaftNode* fresh = c.leader();
    ASSERT_NE(fresh, nullptr);
    EXPECT_NE(fresh->id(), old);
    EXPECT_EQ(c.node(old)->propose(bytes(1)).error(), Errc::NotLeader);
}

TEST(RaftGroupTest, LeadershipTransferElectsTheTarget) {
    SimCluster c(6, quiet(3, 3));
    RaftNode* l = await_leader(c);
    ASSERT_NE(l, nullptr);
    NodeId target = l->id() == n(1) ? n(2) : n(1);
    ASSERT_TRUE(l->transfer_leadership(target));
    EXPECT_EQ(l->propose(bytes(1)).error(), Errc::TransferInProgress);
    ASSERT_TRUE(c.run_until([&] { return c.leader() != nullptr && c.leader()->id() == target; },
                            Millis(2000)));
    EXPECT_TRUE(c.checker().ok());
}

TEST(RaftGroupTest, LearnerCatchesUpIsPromotedAndThenCountsForCommit) {
    SimCluster c(7, quiet(3, 4));
    RaftNode* l = await_leader(c);
    ASSERT_NE(l, nullptr);
    for (int i = 0; i < 20; ++i) {
        ASSERT_TRUE(l->propose(bytes(static_cast<uint8_t>(i))));
    }
    auto added = l->add_learner(n(4));
    ASSERT_TRUE(added);
    EXPECT_EQ(l->add_learner(n(4)).error(), Errc::ConfigChangeInProgress);
    ASSERT_TRUE(await_applied(c, {n(4)}, l->last_index()));
    EXPECT_TRUE(c.node(n(4))->membership().is_learner(n(4)));
    ASSERT_TRUE(c.run_until([&] { return l->progress(n(4))->match_index >= l->commit_index(); },
                            Millis(1000)));
    auto promoted = l->promote_learner(n(4));
    ASSERT_TRUE(promoted) << promoted.error().message();
    ASSERT_TRUE(await_applied(c, {n(1), n(2), n(3), n(4)}, promoted.value().index));
    EXPECT_TRUE(l->membership().is_voter(n(4)));
    EXPECT_EQ(l->membership().quorum(), 3u);
    // With two voters down, a four-voter group cannot commit.
    std::vector<NodeId> others;
    for (NodeId id : {n(1), n(2), n(3), n(4)}) {
        if (id != l->id()) {
            others.push_back(id);
        }
    }
    c.crash(others[0], 0);
    c.crash(others[1], 0);
    auto pos = l->propose(bytes(99));
    ASSERT_TRUE(pos);
    c.run_for(Millis(100));
    EXPECT_LT(l->commit_index(), pos.value().index);
}

TEST(RaftGroupTest, PromotingALearnerThatHasNotCaughtUpIsRefused) {
    SimCluster c(8, quiet(3, 4));
    RaftNode* l = await_leader(c);
    ASSERT_NE(l, nullptr);
    c.crash(n(4), 0);
    ASSERT_TRUE(l->add_learner(n(4)));
    c.run_for(Millis(200));
    EXPECT_EQ(l->promote_learner(n(4)).error(), Errc::NotCaughtUp);
    EXPECT_EQ(l->promote_learner(n(5)).error(), Errc::UnknownMember);
}

TEST(RaftGroupTest, RemovedLeaderStepsDownAndTheRestElectANewOne) {
    SimCluster c(9, quiet(3, 3));
    RaftNode* l = await_leader(c);
    ASSERT_NE(l, nullptr);
    NodeId old = l->id();
    auto removed = l->remove_member(old);
    ASSERT_TRUE(removed);
    ASSERT_TRUE(c.run_until([&] { return c.leader() != nullptr && c.leader()->id() != old; },
                            Millis(3000)));
    RaftNode* fresh = c.leader();
    EXPECT_FALSE(fresh->membership().contains(old));
    EXPECT_EQ(fresh->membership().voters.size(), 2u);
    auto pos = fresh->propose(bytes(5));
    ASSERT_TRUE(pos);
    std::vector<NodeId> voters = fresh->membership().voters;
    EXPECT_TRUE(await_applied(c, voters, pos.value().index));
}

// Found by the simulator (seed 20): the removal is held only by the removed leader, which stepped
// down (check-quorum) before it committed; the remaining voter cannot win without that leader's
// vote, so the removed node must still campaign under the previous configuration.
TEST(RaftGroupTest, LeaderRemovingItselfWhileCutOffStillLetsTheGroupRecover) {
    SimOptions o = quiet(2, 2);
    SimCluster c(13, o);
    RaftNode* l = await_leader(c);
    ASSERT_NE(l, nullptr);
    NodeId old = l->id();
    NodeId other = old == n(1) ? n(2) : n(1);
    c.network().partition({{other, 1}});
    ASSERT_TRUE(l->remove_member(old));
    ASSERT_TRUE(c.run_until([&] { return !c.node(old)->is_leader(); }, Millis(3000)));
    EXPECT_TRUE(c.node(other)->membership().is_voter(old));  // never saw the removal
    c.network().heal();
    ASSERT_TRUE(c.run_until(
        [&] {
            RaftNode* now = c.leader();
            return now != nullptr && now->id() == other && now->leader_ready();
        },
        Millis(5000)));
    EXPECT_EQ(c.node(other)->membership().voters, std::vector<NodeId>{other});
    EXPECT_TRUE(c.checker().ok());
}

TEST(RaftGroupTest, LaggingFollowerCatchesUpThroughInstallSnapshot) {
    SimOptions o = quiet(3, 3);
    o.raft.snapshot_interval = 10;
    o.raft.snapshot_chunk_bytes = 4;  // the 16-byte simulated snapshot takes four chunks
    SimCluster c(10, o);
    RaftNode* l = await_leader(c);
    ASSERT_NE(l, nullptr);
    NodeId lagging = l->id() == n(3) ? n(2) : n(3);
    c.crash(lagging, 0);
    Index last = 0;
    for (int i = 0; i < 50; ++i) {
        last = l->propose(bytes(static_cast<uint8_t>(i))).value().index;
    }
    ASSERT_TRUE(c.run_until([&] { return l->commit_index() >= last; }, Millis(3000)));
    EXPECT_GT(c.storage(l->id()).snapshot_meta().index, c.storage(lagging).last_index());
    c.restart(lagging);
    ASSERT_TRUE(await_applied(c, {lagging}, last));
    EXPECT_GT(c.storage(lagging).snapshot_meta().index, 0);
    EXPECT_EQ(c.state_machine(lagging)->digest(), c.state_machine(l->id())->digest());
}

TEST(RaftGroupTest, InSyncVotersStayWhileIdleAndLeaveOutAFollowerThatStopsAnswering) {
    SimCluster c(11, quiet(3, 3));
    RaftNode* l = await_leader(c);
    ASSERT_NE(l, nullptr);
    ASSERT_TRUE(l->propose(bytes(1)));
    c.run_for(Millis(200));
    EXPECT_EQ(l->in_sync_voters().size(), 3u);
    // Idle for four times replica_lag_max: followers that hold the whole log answer heartbeats
    // and stay in sync.
    c.run_for(Millis(2000));
    EXPECT_EQ(l->in_sync_voters().size(), 3u);
    NodeId gone = l->id() == n(3) ? n(2) : n(3);
    c.crash(gone, 0);
    for (int i = 0; i < 20; ++i) {
        ASSERT_TRUE(l->propose(bytes(2)));
        c.run_for(Millis(50));
    }
    auto isr = l->in_sync_voters();
    EXPECT_EQ(isr.size(), 2u);
    EXPECT_EQ(std::count(isr.begin(), isr.end(), gone), 0);
    auto pr = l->progress(gone);
    ASSERT_TRUE(pr);
    EXPECT_LT(pr->match_index, l->last_index());
}

TEST(RaftGroupTest, CommittedEntriesSurviveACrashOfEveryNode) {
    SimCluster c(12, quiet(3, 3));
    RaftNode* l = await_leader(c);
    ASSERT_NE(l, nullptr);
    auto pos = l->propose(bytes(42));
    ASSERT_TRUE(pos);
    ASSERT_TRUE(c.run_until([&] { return l->commit_index() >= pos.value().index; }, Millis(2000)));
    for (NodeId id : {n(1), n(2), n(3)}) {
        c.crash(id, 0);  // only what was flushed survives
    }
    for (NodeId id : {n(1), n(2), n(3)}) {
        c.restart(id);
    }
    RaftNode* again = await_leader(c);
    ASSERT_NE(again, nullptr);
    ASSERT_TRUE(await_applied(c, {n(1), n(2), n(3)}, pos.value().index));
    EXPECT_EQ(c.checker().committed_term(pos.value().index), pos.value().term);
    EXPECT_TRUE(c.checker().ok());
}

}  // namespace
}  // namespace broker::raft
