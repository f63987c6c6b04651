// The group handlers on two real shards, each with a GroupCoordinator over a fake store: requests
// hop to the group's shard, versions shape the answers (batched FindCoordinator, batch leave,
// several groups per OffsetFetch, ListGroups across shards).
#include <gtest/gtest.h>

#include <future>

#include "broker/cluster/shard_set.h"
#include "broker/cluster/sharded.h"
#include "broker/config/broker_config.h"
#include "broker/server/groups/group_coordinator.h"
#include "broker/server/handlers/delete_groups.h"
#include "broker/server/handlers/describe_groups.h"
#include "broker/server/handlers/find_coordinator.h"
#include "broker/server/handlers/heartbeat.h"
#include "broker/server/handlers/join_group.h"
#include "broker/server/handlers/leave_group.h"
#include "broker/server/handlers/list_groups.h"
#include "broker/server/handlers/offset_fetch.h"
#include "broker/server/handlers/sync_group.h"
#include "broker/server/request_context.h"
#include "tests/broker/server/groups/group_test_util.h"
#include "tests/testing/fake_group_store.h"

namespace broker::server::handlers {
namespace {

using common::protocol::ErrorCode;
using groups::testing::FakeGroupData;
using groups::testing::FakeGroupStore;

constexpr int32_t kPartitions = 6;

common::awaitable<bool> load_all(groups::GroupCoordinator* c, std::vector<int32_t> partitions) {
    for (int32_t p : partitions) {
        if (!co_await c->load(p)) co_return false;
    }
    co_return true;
}

common::awaitable<int16_t> commit_on(groups::GroupCoordinator* c, std::string group,
                                     groups::OffsetMap offsets) {
    auto e = co_await c->commit(group, "", std::nullopt, -1, offsets);
    co_return static_cast<int16_t>(e);
}

class GroupHandlersTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string error;
        config_ = config::build_config({{"listeners", "PLAINTEXT://127.0.0.9:9092"},
                                        {"group.initial.rebalance.delay.ms", "0"}},
                                       &error)
                      .value();
        shards_ = std::make_unique<cluster::ShardSet>(2);
        coordinators_ = std::make_unique<cluster::Sharded<groups::GroupCoordinator>>(2);
        groups::GroupConfig gc;
        gc.initial_rebalance_delay_ms = 0;
        for (cluster::ShardIndex s = 0; s < 2; ++s) {
            coordinators_->set(s, std::make_unique<groups::GroupCoordinator>(
                                      shards_->context(s).get_executor(),
                                      std::make_unique<FakeGroupStore>(&data_, kPartitions), gc,
                                      [] { return int64_t{1000}; }, s + 1));
        }
        shards_->start();
        for (cluster::ShardIndex s = 0; s < 2; ++s) {
            std::vector<int32_t> owned;
            for (int32_t p = 0; p < kPartitions; ++p) {
                if (cluster::shard_of(groups::kOffsetsTopic, p, 2) == s) owned.push_back(p);
            }
            auto f =
                common::asio::co_spawn(shards_->context(s), load_all(&coordinators_->on(s), owned),
                                       common::asio::use_future);
            ASSERT_TRUE(f.get());
        }
        services_ = Services{&config_, shards_.get(), nullptr, nullptr};
        services_.groups = coordinators_.get();
    }
    void TearDown() override {
        shards_->stop();
        shards_->join();
    }

    template <class H>
    typename H::Response call(typename H::Request request, int16_t version) {
        return common::asio::co_spawn(shards_->context(0),
                                      run<H>(&services_, std::move(request), version),
                                      common::asio::use_future)
            .get();
    }
    template <class H>
    static common::awaitable<typename H::Response> run(const Services* services,
                                                       typename H::Request request,
                                                       int16_t version) {
        RequestContext ctx(*services, version, 7, "test-client", "127.0.0.1:4242", 0);
        co_return co_await H::handle(ctx, std::move(request));
    }

    void commit(const std::string& group, groups::OffsetMap offsets) {
        const auto s =
            cluster::shard_of(groups::kOffsetsTopic, coordinators_->on(0).partition_for(group), 2);
        auto f = common::asio::co_spawn(shards_->context(s),
                                        commit_on(&coordinators_->on(s), group, offsets),
                                        common::asio::use_future);
        ASSERT_EQ(f.get(), 0);
    }

    // Joins a new member (v5: MEMBER_ID_REQUIRED first) and syncs it; returns its member id.
    std::string join_and_sync(const std::string& group) {
        JoinGroupHandler::Request join;
        join.group_id = group;
        join.session_timeout_ms = 10000;
        join.rebalance_timeout_ms = 10000;
        join.protocol_type = "consumer";
        join.protocols = {{"range", groups::testing::subscription({"t"})}};
        auto first = call<JoinGroupHandler>(join, 5);
        EXPECT_EQ(first.error_code, static_cast<int16_t>(ErrorCode::MemberIdRequired));
        join.member_id = first.member_id;
        auto joined = call<JoinGroupHandler>(join, 5);
        EXPECT_EQ(joined.error_code, 0);
        EXPECT_EQ(joined.leader, joined.member_id);
        EXPECT_EQ(joined.members.size(), 1u);
        SyncGroupHandler::Request sync;
        sync.group_id = group;
        sync.generation_id = joined.generation_id;
        sync.member_id = joined.member_id;
        sync.assignments = {{joined.member_id, {1, 2, 3}}};
        auto synced = call<SyncGroupHandler>(sync, 5);
        EXPECT_EQ(synced.error_code, 0);
        EXPECT_EQ(synced.assignment, (common::protocol::Bytes{1, 2, 3}));
        EXPECT_EQ(synced.protocol_name, "range");
        return joined.member_id;
    }

    config::BrokerConfig config_;
    FakeGroupData data_;
    std::unique_ptr<cluster::ShardSet> shards_;
    std::unique_ptr<cluster::Sharded<groups::GroupCoordinator>> coordinators_;
    Services services_;
};

TEST_F(GroupHandlersTest, FindCoordinatorNamesThisBrokerForGroupsOnly) {
    FindCoordinatorHandler::Request single;
    single.key = "g";
    auto r = call<FindCoordinatorHandler>(single, 2);
    EXPECT_EQ(r.error_code, 0);
    EXPECT_EQ(r.node_id, 1);
    EXPECT_EQ(r.host, "127.0.0.9");
    EXPECT_EQ(r.port, 9092);
    FindCoordinatorHandler::Request batched;
    batched.coordinator_keys = {"a", "b"};
    auto many = call<FindCoordinatorHandler>(batched, 4);
    ASSERT_EQ(many.coordinators.size(), 2u);
    EXPECT_EQ(many.coordinators[1].key, "b");
    EXPECT_EQ(many.coordinators[1].port, 9092);
    batched.key_type = 1;
    auto txn = call<FindCoordinatorHandler>(batched, 4);
    EXPECT_EQ(txn.coordinators[0].error_code,
              static_cast<int16_t>(ErrorCode::CoordinatorNotAvailable));
}

TEST_F(GroupHandlersTest, GroupsOnEitherShardJoinSyncAndHeartbeat) {
    for (const std::string group : {"alpha", "beta", "gamma", "delta"}) {
        const std::string member = join_and_sync(group);
        HeartbeatHandler::Request hb;
        hb.group_id = group;
        hb.member_id = member;
        hb.generation_id = 1;
        EXPECT_EQ(call<HeartbeatHandler>(hb, 3).error_code, 0);
        hb.generation_id = 7;
        EXPECT_EQ(call<HeartbeatHandler>(hb, 3).error_code,
                  static_cast<int16_t>(ErrorCode::IllegalGeneration));
    }
    auto listed = call<ListGroupsHandler>({}, 4);
    EXPECT_EQ(listed.groups.size(), 4u);
    ListGroupsHandler::Request stable_only;
    stable_only.states_filter = {"stable"};
    EXPECT_EQ(call<ListGroupsHandler>(stable_only, 4).groups.size(), 4u);
    stable_only.states_filter = {"Empty"};
    EXPECT_TRUE(call<ListGroupsHandler>(stable_only, 4).groups.empty());
}

TEST_F(GroupHandlersTest, BatchLeaveAnswersPerMemberAndV0AnswersAtTheTop) {
    const std::string member = join_and_sync("g");
    LeaveGroupHandler::Request v0;
    v0.group_id = "g";
    v0.member_id = "stranger";
    EXPECT_EQ(call<LeaveGroupHandler>(v0, 0).error_code,
              static_cast<int16_t>(ErrorCode::UnknownMemberId));
    LeaveGroupHandler::Request batch;
    batch.group_id = "g";
    batch.members = {{member, std::nullopt, std::nullopt},
                     {"stranger", std::nullopt, std::nullopt}};
    auto r = call<LeaveGroupHandler>(batch, 3);
    EXPECT_EQ(r.error_code, 0);
    ASSERT_EQ(r.members.size(), 2u);
    EXPECT_EQ(r.members[0].error_code, 0);
    EXPECT_EQ(r.members[1].error_code, static_cast<int16_t>(ErrorCode::UnknownMemberId));
    DescribeGroupsHandler::Request describe;
    describe.groups = {"g", "never"};
    auto d = call<DescribeGroupsHandler>(describe, 5);
    ASSERT_EQ(d.groups.size(), 2u);
    EXPECT_EQ(d.groups[0].group_state, "Empty");
    EXPECT_EQ(d.groups[0].protocol_type, "consumer");
    EXPECT_EQ(d.groups[1].group_state, "Dead");
    DeleteGroupsHandler::Request del;
    del.groups_names = {"g", "never"};
    auto deleted = call<DeleteGroupsHandler>(del, 2);
    EXPECT_EQ(deleted.results[0].error_code, 0);
    EXPECT_EQ(deleted.results[1].error_code, static_cast<int16_t>(ErrorCode::GroupIdNotFound));
}

TEST_F(GroupHandlersTest, OffsetFetchV8ServesSeveralGroupsAndNullTopicsMeanAll) {
    commit("one", {{{"t", 0}, {10, -1, "a", -1, -1}}, {{"t", 1}, {11, -1, "", -1, -1}}});
    commit("two", {{{"u", 3}, {30, 2, "", -1, -1}}});
    OffsetFetchHandler::Request req;
    OffsetFetchHandler::Request::OffsetFetchRequestGroup one;
    one.group_id = "one";
    one.topics = std::vector<OffsetFetchHandler::Request::OffsetFetchRequestTopics>{{"t", {1, 5}}};
    OffsetFetchHandler::Request::OffsetFetchRequestGroup two;
    two.group_id = "two";
    two.topics = std::nullopt;
    req.groups = {one, two};
    auto r = call<OffsetFetchHandler>(req, 8);
    ASSERT_EQ(r.groups.size(), 2u);
    ASSERT_EQ(r.groups[0].topics.size(), 1u);
    const auto& parts = r.groups[0].topics[0].partitions;
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].committed_offset, 11);
    EXPECT_EQ(parts[1].committed_offset, -1);
    ASSERT_EQ(r.groups[1].topics.size(), 1u);
    EXPECT_EQ(r.groups[1].topics[0].name, "u");
    EXPECT_EQ(r.groups[1].topics[0].partitions[0].committed_offset, 30);
    EXPECT_EQ(r.groups[1].topics[0].partitions[0].committed_leader_epoch, 2);
}

TEST_F(GroupHandlersTest, OffsetFetchV1CarriesGroupErrorsOnEachPartition) {
    OffsetFetchHandler::Request req;
    req.group_id = "";
    req.topics = std::vector<OffsetFetchHandler::Request::OffsetFetchRequestTopic>{{"t", {0, 1}}};
    auto v1 = call<OffsetFetchHandler>(req, 1);
    ASSERT_EQ(v1.topics.size(), 1u);
    ASSERT_EQ(v1.topics[0].partitions.size(), 2u);
    EXPECT_EQ(v1.topics[0].partitions[1].error_code,
              static_cast<int16_t>(ErrorCode::InvalidGroupId));
    auto v2 = call<OffsetFetchHandler>(req, 2);
    EXPECT_EQ(v2.error_code, static_cast<int16_t>(ErrorCode::InvalidGroupId));
}

}  // namespace
}  // namespace broker::server::handlers
