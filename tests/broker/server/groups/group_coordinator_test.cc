// The per-shard coordinator over a fake store, a fake clock and an io_context on the test thread:
// held requests, write-through, restart from the store, timeouts, expiry, the group-level errors.
#include "broker/server/groups/group_coordinator.h"

#include <gtest/gtest.h>

#include <future>

#include "tests/broker/server/groups/group_test_util.h"
#include "tests/testing/fake_group_store.h"

namespace broker::server::groups {
namespace {

using testing::consumer_join;
using testing::FakeGroupData;
using testing::FakeGroupStore;

constexpr int32_t kPartitions = 4;

// load() as a value co_spawn can carry (Result<void> has no default state).
common::awaitable<bool> load(GroupCoordinator* c, int32_t partition) {
    auto loaded = co_await c->load(partition);
    co_return static_cast<bool>(loaded);
}

class GroupCoordinatorTest : public ::testing::Test {
  protected:
    GroupCoordinatorTest() {
        config_.initial_rebalance_delay_ms = 0;
        config_.offsets_retention_ms = 100000;
        make_coordinator();
    }

    void make_coordinator() {
        coordinator_ = std::make_unique<GroupCoordinator>(
            io_.get_executor(), std::make_unique<FakeGroupStore>(&data_, kPartitions), config_,
            [this] { return now_; }, 42);
        for (int32_t p = 0; p < kPartitions; ++p) ASSERT_TRUE(run(load(coordinator_.get(), p)));
    }

    template <class T>
    std::future<T> spawn(common::awaitable<T> a) {
        auto f = common::asio::co_spawn(io_, std::move(a), common::asio::use_future);
        io_.restart();
        io_.poll();
        return f;
    }
    template <class T>
    T run(common::awaitable<T> a) {
        auto f = spawn(std::move(a));
        EXPECT_EQ(f.wait_for(std::chrono::seconds(0)), std::future_status::ready);
        return f.get();
    }
    template <class T>
    bool ready(std::future<T>& f) {
        io_.restart();
        io_.poll();
        return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    }

    // A new v4+ member: MEMBER_ID_REQUIRED, then the join with its id (held or answered).
    std::future<JoinReply> join_new(const std::string& group) {
        auto args = consumer_join("", "");
        args.require_known_member_id = true;
        JoinReply first = run(coordinator_->join(group, args));
        EXPECT_EQ(first.error, ErrorCode::MemberIdRequired);
        args.member_id = first.member_id;
        return spawn(coordinator_->join(group, args));
    }

    // One member joined and synced: returns its member id; the group is Stable at generation 1.
    std::string stable_member(const std::string& group, Bytes assignment) {
        auto joined = join_new(group);
        EXPECT_TRUE(ready(joined));
        JoinReply r = joined.get();
        EXPECT_EQ(r.generation, 1);
        SyncArgs s{r.member_id,  std::nullopt, 1,
                   std::nullopt, std::nullopt, {{r.member_id, std::move(assignment)}}};
        SyncReply synced = run(coordinator_->sync(group, s));
        EXPECT_EQ(synced.error, ErrorCode::None);
        return r.member_id;
    }

    common::asio::io_context io_;
    FakeGroupData data_;
    GroupConfig config_;
    int64_t now_ = 5'000'000;
    std::unique_ptr<GroupCoordinator> coordinator_;
};

TEST_F(GroupCoordinatorTest, NewMemberIdsCarryTheClientIdAndAreUnique) {
    auto a = join_new("g");
    auto b = join_new("g2");
    ASSERT_TRUE(ready(a));
    ASSERT_TRUE(ready(b));
    auto ra = a.get();
    auto rb = b.get();
    EXPECT_EQ(ra.member_id.rfind("client-", 0), 0u);
    EXPECT_NE(ra.member_id, rb.member_id);
}

TEST_F(GroupCoordinatorTest, SyncAnswersOnlyAfterTheGroupRecordIsDurable) {
    const std::string member = stable_member("g", {1, 2});
    ASSERT_EQ(data_.groups.count("g"), 1u);
    const auto& record = data_.groups["g"];
    EXPECT_EQ(record.generation, 1);
    ASSERT_EQ(record.members.size(), 1u);
    EXPECT_EQ(record.members[0].member_id, member);
    EXPECT_EQ(record.members[0].assignment, (Bytes{1, 2}));
    EXPECT_EQ(record.protocol, "range");
}

TEST_F(GroupCoordinatorTest, FollowerSyncIsHeldUntilTheLeaderAssigns) {
    const std::string a = stable_member("g", {1});
    auto b_join = join_new("g");  // starts generation 2
    EXPECT_FALSE(ready(b_join));
    EXPECT_EQ(coordinator_->heartbeat("g", a, std::nullopt, 1), ErrorCode::RebalanceInProgress);
    auto a_join = spawn(coordinator_->join("g", consumer_join(a, "")));
    ASSERT_TRUE(ready(a_join));
    ASSERT_TRUE(ready(b_join));
    JoinReply rb = b_join.get();
    EXPECT_EQ(rb.generation, 2);
    auto b_sync = spawn(
        coordinator_->sync("g", {rb.member_id, std::nullopt, 2, std::nullopt, std::nullopt, {}}));
    EXPECT_FALSE(ready(b_sync));
    SyncReply ra = run(coordinator_->sync(
        "g", {a, std::nullopt, 2, std::nullopt, std::nullopt, {{a, {1}}, {rb.member_id, {2}}}}));
    EXPECT_EQ(ra.assignment, Bytes{1});
    ASSERT_TRUE(ready(b_sync));
    EXPECT_EQ(b_sync.get().assignment, Bytes{2});
}

TEST_F(GroupCoordinatorTest, CommittedOffsetsAreDurableAndFetchable) {
    OffsetMap offsets{{{"t", 0}, {42, 3, "meta", -1, -1}}};
    EXPECT_EQ(run(coordinator_->commit("simple", "", std::nullopt, -1, offsets)), ErrorCode::None);
    EXPECT_EQ((data_.offsets["simple"][{"t", 0}].offset), 42);
    EXPECT_EQ((data_.offsets["simple"][{"t", 0}].commit_timestamp_ms), now_);
    auto fetched = coordinator_->fetch("simple", std::vector<TopicPartition>{{"t", 0}, {"t", 1}});
    ASSERT_EQ(fetched.offsets.size(), 2u);
    EXPECT_EQ(fetched.offsets[0].offset.offset, 42);
    EXPECT_EQ(fetched.offsets[0].offset.leader_epoch, 3);
    EXPECT_EQ(fetched.offsets[0].offset.metadata, "meta");
    EXPECT_EQ(fetched.offsets[1].offset.offset, -1);
    EXPECT_EQ(coordinator_->fetch("simple", std::nullopt).offsets.size(), 1u);
    EXPECT_TRUE(coordinator_->fetch("nobody", std::nullopt).offsets.empty());
}

TEST_F(GroupCoordinatorTest, FailedCommitWriteIsNotVisible) {
    data_.fail_writes = true;
    OffsetMap offsets{{{"t", 0}, {42, -1, "", -1, -1}}};
    EXPECT_EQ(run(coordinator_->commit("g", "", std::nullopt, -1, offsets)),
              ErrorCode::CoordinatorNotAvailable);
    auto fetched = coordinator_->fetch("g", std::vector<TopicPartition>{{"t", 0}});
    EXPECT_EQ(fetched.offsets[0].offset.offset, -1);
}

TEST_F(GroupCoordinatorTest, MemberCommitsAreCheckedAgainstTheGeneration) {
    const std::string a = stable_member("g", {1});
    OffsetMap offsets{{{"t", 0}, {7, -1, "", -1, -1}}};
    EXPECT_EQ(run(coordinator_->commit("g", a, std::nullopt, 1, offsets)), ErrorCode::None);
    EXPECT_EQ(run(coordinator_->commit("g", a, std::nullopt, 9, offsets)),
              ErrorCode::IllegalGeneration);
    EXPECT_EQ(run(coordinator_->commit("g", "", std::nullopt, -1, offsets)),
              ErrorCode::UnknownMemberId);
    EXPECT_EQ(run(coordinator_->commit("unknown", "m", std::nullopt, 3, offsets)),
              ErrorCode::IllegalGeneration);
}

TEST_F(GroupCoordinatorTest, ARestartedCoordinatorLoadsGroupsAndOffsetsFromTheStore) {
    const std::string a = stable_member("g", {5});
    OffsetMap offsets{{{"t", 0}, {11, -1, "", -1, -1}}};
    ASSERT_EQ(run(coordinator_->commit("g", a, std::nullopt, 1, offsets)), ErrorCode::None);
    make_coordinator();
    auto [error, d] = coordinator_->describe("g");
    EXPECT_EQ(error, ErrorCode::None);
    EXPECT_EQ(d.state, GroupState::Stable);
    ASSERT_EQ(d.members.size(), 1u);
    EXPECT_EQ(d.members[0].assignment, Bytes{5});
    EXPECT_EQ(coordinator_->heartbeat("g", a, std::nullopt, 1), ErrorCode::None);
    auto fetched = coordinator_->fetch("g", std::vector<TopicPartition>{{"t", 0}});
    EXPECT_EQ(fetched.offsets[0].offset.offset, 11);
}

TEST_F(GroupCoordinatorTest, ASilentMemberIsRemovedWhenItsSessionEnds) {
    const std::string a = stable_member("g", {1});
    now_ += 10000;
    coordinator_->tick();
    auto [error, d] = coordinator_->describe("g");
    EXPECT_EQ(d.state, GroupState::Empty);
    EXPECT_EQ(coordinator_->heartbeat("g", a, std::nullopt, 1), ErrorCode::UnknownMemberId);
    io_.restart();
    io_.poll();  // the Empty record is written in the background
    EXPECT_TRUE(data_.groups["g"].members.empty());
}

TEST_F(GroupCoordinatorTest, DeleteGroupsRefusesNonEmptyAndUnknownGroups) {
    stable_member("busy", {1});
    EXPECT_EQ(run(coordinator_->delete_group("busy")), ErrorCode::NonEmptyGroup);
    EXPECT_EQ(run(coordinator_->delete_group("nothing")), ErrorCode::GroupIdNotFound);
    OffsetMap offsets{{{"t", 0}, {1, -1, "", -1, -1}}};
    ASSERT_EQ(run(coordinator_->commit("idle", "", std::nullopt, -1, offsets)), ErrorCode::None);
    EXPECT_EQ(run(coordinator_->delete_group("idle")), ErrorCode::None);
    EXPECT_EQ(data_.offsets.count("idle"), 0u);
    EXPECT_EQ(coordinator_->describe("idle").second.state, GroupState::Dead);
}

TEST_F(GroupCoordinatorTest, OffsetDeleteSparesTopicsTheMembersSubscribeTo) {
    const std::string a = stable_member("g", {1});
    OffsetMap offsets{{{"t", 0}, {1, -1, "", -1, -1}}, {{"old", 0}, {2, -1, "", -1, -1}}};
    ASSERT_EQ(run(coordinator_->commit("g", a, std::nullopt, 1, offsets)), ErrorCode::None);
    auto result = run(coordinator_->delete_offsets("g", {{"t", 0}, {"old", 0}}));
    EXPECT_EQ(result.error, ErrorCode::None);
    EXPECT_EQ((result.partitions[{"t", 0}]), ErrorCode::GroupSubscribedToTopic);
    EXPECT_EQ((result.partitions[{"old", 0}]), ErrorCode::None);
    EXPECT_EQ(coordinator_->fetch("g", std::nullopt).offsets.size(), 1u);
    EXPECT_EQ(run(coordinator_->delete_offsets("none", {{"t", 0}})).error,
              ErrorCode::GroupIdNotFound);
}

TEST_F(GroupCoordinatorTest, ExpiryRemovesOldOffsetsAndThenTheEmptyGroup) {
    OffsetMap offsets{{{"t", 0}, {1, -1, "", -1, -1}}};
    ASSERT_EQ(run(coordinator_->commit("g", "", std::nullopt, -1, offsets)), ErrorCode::None);
    now_ += config_.offsets_retention_ms - 1;
    run(coordinator_->expire_offsets());
    EXPECT_EQ(coordinator_->fetch("g", std::nullopt).offsets.size(), 1u);
    now_ += 1;
    run(coordinator_->expire_offsets());
    EXPECT_TRUE(coordinator_->fetch("g", std::nullopt).offsets.empty());
    EXPECT_TRUE(coordinator_->list().groups.empty());
    EXPECT_EQ(data_.offsets.count("g"), 0u);
}

TEST_F(GroupCoordinatorTest, GroupLevelErrors) {
    EXPECT_EQ(coordinator_->heartbeat("", "m", std::nullopt, 1), ErrorCode::InvalidGroupId);
    EXPECT_EQ(coordinator_->heartbeat("nobody", "m", std::nullopt, 1), ErrorCode::UnknownMemberId);
    auto unknown = coordinator_->describe("nobody");
    EXPECT_EQ(unknown.first, ErrorCode::None);
    EXPECT_EQ(unknown.second.state, GroupState::Dead);
    // a failed first join leaves no group behind
    auto bad = consumer_join("", "");
    bad.session_timeout_ms = 1;
    EXPECT_EQ(run(coordinator_->join("ghost", bad)).error, ErrorCode::InvalidSessionTimeout);
    EXPECT_TRUE(coordinator_->list().groups.empty());
    // a coordinator that has not loaded a group's partition does not serve it
    GroupCoordinator fresh(
        io_.get_executor(), std::make_unique<FakeGroupStore>(&data_, kPartitions), config_,
        [this] { return now_; }, 1);
    EXPECT_EQ(fresh.heartbeat("g", "m", std::nullopt, 1), ErrorCode::NotCoordinator);
    auto left = fresh.leave("g", {{"m", std::nullopt}});
    EXPECT_EQ(left.error, ErrorCode::NotCoordinator);
}

TEST_F(GroupCoordinatorTest, ListAndViewsShowEveryGroup) {
    stable_member("a", {1});
    OffsetMap offsets{{{"t", 0}, {3, -1, "", -1, -1}}};
    ASSERT_EQ(run(coordinator_->commit("b", "", std::nullopt, -1, offsets)), ErrorCode::None);
    auto listed = coordinator_->list();
    ASSERT_EQ(listed.groups.size(), 2u);
    EXPECT_EQ(listed.groups[0].group_id, "a");
    EXPECT_EQ(listed.groups[0].state, GroupState::Stable);
    EXPECT_EQ(listed.groups[0].protocol_type, "consumer");
    EXPECT_EQ(listed.groups[1].state, GroupState::Empty);
    auto views = coordinator_->views();
    ASSERT_EQ(views.size(), 2u);
    EXPECT_EQ(views[0].state, "Stable");
    EXPECT_EQ(views[0].members.size(), 1u);
    EXPECT_EQ(views[1].offsets.at({"t", 0}).offset, 3);
}

TEST_F(GroupCoordinatorTest, StopAnswersHeldJoinsWithNotCoordinator) {
    stable_member("g", {1});
    auto held = join_new("g");
    EXPECT_FALSE(ready(held));
    coordinator_->stop();
    ASSERT_TRUE(ready(held));
    EXPECT_EQ(held.get().error, ErrorCode::NotCoordinator);
}

TEST_F(GroupCoordinatorTest, UnloadGivesUpAPartitionsGroupsUntilItIsLoadedAgain) {
    const std::string a = stable_member("g", {1});
    OffsetMap offsets{{{"t", 0}, {9, -1, "", -1, -1}}};
    ASSERT_EQ(run(coordinator_->commit("g", a, std::nullopt, 1, offsets)), ErrorCode::None);
    std::string other = "h0";
    for (int i = 1; coordinator_->partition_for(other) == coordinator_->partition_for("g"); ++i) {
        other = "h" + std::to_string(i);
    }
    ASSERT_EQ(run(coordinator_->commit(other, "", std::nullopt, -1, offsets)), ErrorCode::None);
    auto held = join_new("g");
    EXPECT_FALSE(ready(held));

    const int32_t p = coordinator_->partition_for("g");
    coordinator_->unload(p);
    EXPECT_FALSE(coordinator_->holds(p));
    ASSERT_TRUE(ready(held));
    EXPECT_EQ(held.get().error, ErrorCode::NotCoordinator);
    EXPECT_EQ(coordinator_->heartbeat("g", a, std::nullopt, 1), ErrorCode::NotCoordinator);
    EXPECT_EQ(coordinator_->fetch("g", std::nullopt).error, ErrorCode::NotCoordinator);
    EXPECT_EQ(run(coordinator_->commit("g", a, std::nullopt, 1, offsets)),
              ErrorCode::NotCoordinator);
    EXPECT_EQ(coordinator_->list().groups.size(), 1u);  // only the other partition's group
    EXPECT_EQ(coordinator_->fetch(other, std::nullopt).offsets.size(), 1u);

    ASSERT_TRUE(run(load(coordinator_.get(), p)));
    EXPECT_TRUE(coordinator_->holds(p));
    auto fetched = coordinator_->fetch("g", std::vector<TopicPartition>{{"t", 0}});
    EXPECT_EQ(fetched.error, ErrorCode::None);
    EXPECT_EQ(fetched.offsets[0].offset.offset, 9);
    EXPECT_EQ(coordinator_->describe("g").second.state, GroupState::Stable);
}

TEST_F(GroupCoordinatorTest, APartitionLedHereButNotLoadedYetIsLoadInProgress) {
    const std::string a = stable_member("g", {1});
    const int32_t p = coordinator_->partition_for("g");
    coordinator_->unload(p);
    bool led = false;
    coordinator_->set_led_here([&](int32_t partition) { return led && partition == p; });
    EXPECT_EQ(coordinator_->heartbeat("g", a, std::nullopt, 1), ErrorCode::NotCoordinator);
    led = true;  // elected, its load still to come: the client asks again here
    EXPECT_EQ(coordinator_->heartbeat("g", a, std::nullopt, 1),
              ErrorCode::CoordinatorLoadInProgress);
    EXPECT_EQ(coordinator_->fetch("g", std::nullopt).error, ErrorCode::CoordinatorLoadInProgress);
    ASSERT_TRUE(run(load(coordinator_.get(), p)));
    EXPECT_EQ(coordinator_->heartbeat("g", a, std::nullopt, 1), ErrorCode::None);
}

TEST_F(GroupCoordinatorTest, NoOffsetsPartitionMeansNotCoordinator) {
    GroupCoordinator none(
        io_.get_executor(), std::make_unique<FakeGroupStore>(&data_, 0), config_,
        [this] { return now_; }, 1);
    EXPECT_EQ(none.partition_for("g"), -1);
    EXPECT_EQ(none.heartbeat("g", "m", std::nullopt, 1), ErrorCode::NotCoordinator);
}

}  // namespace
}  // namespace broker::server::groups
