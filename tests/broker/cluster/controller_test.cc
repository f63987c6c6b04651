#include "broker/cluster/controller.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "broker/cluster/errc.h"
#include "broker/cluster/metadata_cache.h"
#include "common/errc.h"
#include "metadata_test_records.h"

namespace broker::cluster {
namespace {

class ControllerTest : public ::testing::Test {
  protected:
    ControllerTest() : controller_(state_, {3, 3}, [this] { return testing::uuid(++ids_); }) {}

    // Proposes and commits a command's records as one entry; the command must succeed.
    void commit(const ControllerResult& result) {
        ASSERT_TRUE(result) << result.message;
        EXPECT_EQ(state_.apply_entry(++index_, encode_batch(result.records)), 0u);
    }

    // Registers and unfences brokers 1..racks.size() with those racks ("" = none).
    void add_brokers(const std::vector<std::string>& racks) {
        for (size_t i = 0; i < racks.size(); ++i) {
            auto id = static_cast<int32_t>(i + 1);
            BrokerRegistrationRequest r{
                id,
                testing::uuid(static_cast<uint8_t>(200 + i)),
                racks[i].empty() ? std::nullopt : std::optional<std::string>(racks[i]),
                {{"PLAIN", "b" + std::to_string(id), 9092, "PLAINTEXT"}}};
            commit(controller_.register_broker(r));
            commit(controller_.unfence_broker(id, state_.broker(id)->epoch));
        }
    }

    const PartitionState& partition(const std::string& topic, size_t p) {
        return state_.topic(topic)->partitions.at(p);
    }

    CreateTopicArgs topic(const std::string& name, std::optional<int32_t> partitions,
                          std::optional<int16_t> rf) {
        CreateTopicArgs args;
        args.name = name;
        args.partitions = partitions;
        args.replication_factor = rf;
        return args;
    }

    MetadataState state_;
    Controller controller_;
    uint8_t ids_ = 0;
    int64_t index_ = 0;
};

TEST_F(ControllerTest, RegisteredBrokerStartsFencedWithANewEpochOncePerIncarnation) {
    BrokerRegistrationRequest r{4, testing::uuid(9), "a", {{"PLAIN", "h", 9092, "PLAINTEXT"}}};
    auto result = controller_.register_broker(r);
    commit(result);
    const auto* b = state_.broker(4);
    ASSERT_NE(b, nullptr);
    EXPECT_TRUE(b->fenced);
    EXPECT_EQ(b->epoch, 1);
    EXPECT_EQ(b->rack, "a");
    EXPECT_TRUE(controller_.register_broker(r).records.empty());  // same incarnation: nothing
    r.incarnation_id = testing::uuid(10);                         // restarted
    commit(controller_.register_broker(r));
    EXPECT_EQ(state_.broker(4)->epoch, 2);
    EXPECT_FALSE(controller_.unfence_broker(4, 1));  // stale epoch
    commit(controller_.unfence_broker(4, 2));
    EXPECT_FALSE(state_.broker(4)->fenced);
}

TEST_F(ControllerTest, ClusterIdIsClaimedOnlyWhileTheLogHasNone) {
    EXPECT_FALSE(controller_.claim_cluster_id("bad id"));
    auto first = controller_.claim_cluster_id(testing::kClusterId);
    ASSERT_EQ(first.records.size(), 1u);
    EXPECT_EQ(std::get<ClusterIdRecord>(first.records[0]).cluster_id, testing::kClusterId);
    commit(first);
    EXPECT_EQ(state_.cluster_id(), testing::kClusterId);
    // A later leader with another id in its meta.properties changes nothing.
    auto later = controller_.claim_cluster_id(std::string(22, 'A'));
    EXPECT_TRUE(later);
    EXPECT_TRUE(later.records.empty());
    EXPECT_EQ(state_.cluster_id(), testing::kClusterId);
}

TEST_F(ControllerTest, CreateTopicPlacesOneReplicaPerRackWithEvenLeaders) {
    add_brokers({"a", "a", "b", "b", "c", "c"});
    commit(controller_.create_topic(topic("orders", 12, 3)));
    const auto* t = state_.topic("orders");
    ASSERT_NE(t, nullptr);
    ASSERT_EQ(t->partitions.size(), 12u);
    std::map<int32_t, int> leaders;
    for (const auto& p : t->partitions) {
        std::set<std::string> racks;
        for (int32_t r : p.replicas) racks.insert(*state_.broker(r)->rack);
        EXPECT_EQ(racks.size(), 3u);
        EXPECT_EQ(p.isr, p.replicas);
        EXPECT_EQ(p.leader, p.replicas.front());
        ++leaders[p.leader];
    }
    for (int32_t b = 1; b <= 6; ++b) EXPECT_EQ(leaders[b], 2) << "broker " << b;
}

TEST_F(ControllerTest, CreateTopicUsesTheBrokerDefaultsAndItsConfigs) {
    add_brokers({"a", "b", "c"});
    auto args = topic("events", std::nullopt, std::nullopt);
    args.configs = {{"retention.ms", "1000"}, {"min.insync.replicas", "2"}};
    commit(controller_.create_topic(args));
    const auto* t = state_.topic("events");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->partitions.size(), 3u);              // num.partitions
    EXPECT_EQ(t->partitions[0].replicas.size(), 3u);  // default.replication.factor
    EXPECT_EQ(t->configs, args.configs);
}

TEST_F(ControllerTest, ReplicationFactorAboveLiveBrokersIsRefused) {
    add_brokers({"a", "b", "c"});
    commit(controller_.fence_broker(3, state_.broker(3)->epoch));
    auto result = controller_.create_topic(topic("big", 1, 3));
    EXPECT_EQ(result.error, make_error_code(Errc::InvalidReplicationFactor));
    EXPECT_NE(result.message.find("only 2 broker(s)"), std::string::npos) << result.message;
    EXPECT_TRUE(result.records.empty());
    EXPECT_TRUE(controller_.create_topic(topic("ok", 1, 2)));
}

TEST_F(ControllerTest, BadTopicRequestsAreRefusedWithKafkasErrors) {
    add_brokers({"a"});
    commit(controller_.create_topic(topic("t", 1, 1)));
    EXPECT_EQ(controller_.create_topic(topic("t", 1, 1)).error,
              make_error_code(Errc::TopicAlreadyExists));
    EXPECT_EQ(controller_.create_topic(topic("bad/name", 1, 1)).error,
              make_error_code(Errc::InvalidTopicName));
    EXPECT_EQ(controller_.create_topic(topic("z", 0, 1)).error,
              make_error_code(Errc::InvalidPartitions));
    EXPECT_EQ(controller_.create_topic(topic("z", 1, 0)).error,
              make_error_code(Errc::InvalidReplicationFactor));
    auto bad_config = topic("z", 1, 1);
    bad_config.configs = {{"no.such.config", "1"}};
    EXPECT_EQ(controller_.create_topic(bad_config).error, make_error_code(Errc::InvalidConfig));
    auto validate = topic("z", 1, 1);
    validate.validate_only = true;
    auto checked = controller_.create_topic(validate);
    EXPECT_TRUE(checked);
    EXPECT_TRUE(checked.records.empty());
}

TEST_F(ControllerTest, CreatePartitionsKeepsTheBalance) {
    add_brokers({"a", "a", "b", "b", "c", "c"});
    commit(controller_.create_topic(topic("t", 4, 3)));
    EXPECT_EQ(controller_.create_partitions("t", 4, false).error,
              make_error_code(Errc::InvalidPartitions));
    EXPECT_EQ(controller_.create_partitions("nope", 9, false).error,
              make_error_code(Errc::UnknownTopic));
    EXPECT_TRUE(controller_.create_partitions("t", 12, true).records.empty());
    commit(controller_.create_partitions("t", 12, false));
    const auto* t = state_.topic("t");
    ASSERT_EQ(t->partitions.size(), 12u);
    std::map<int32_t, int> leaders, replicas;
    for (const auto& p : t->partitions) {
        EXPECT_EQ(p.replicas.size(), 3u);
        ++leaders[p.leader];
        for (int32_t r : p.replicas) ++replicas[r];
    }
    for (int32_t b = 1; b <= 6; ++b) {
        EXPECT_EQ(leaders[b], 2) << b;
        EXPECT_EQ(replicas[b], 6) << b;
    }
}

TEST_F(ControllerTest, ReplaceConfigsWritesOnlyTheDifference) {
    add_brokers({""});
    auto args = topic("t", 1, 1);
    args.configs = {{"retention.ms", "1000"}, {"segment.bytes", "100000"}};
    commit(controller_.create_topic(args));
    auto result = controller_.replace_configs(
        "t", {{"retention.ms", "1000"}, {"cleanup.policy", "compact"}}, false);
    ASSERT_TRUE(result);
    EXPECT_EQ(result.records.size(), 2u);  // delete segment.bytes, set cleanup.policy
    commit(result);
    EXPECT_EQ(state_.topic("t")->configs,
              (TopicConfigMap{{"retention.ms", "1000"}, {"cleanup.policy", "compact"}}));
    EXPECT_EQ(controller_.replace_configs("t", {{"x", "1"}}, false).error,
              make_error_code(Errc::InvalidConfig));
    EXPECT_EQ(controller_.replace_configs("u", {}, false).error,
              make_error_code(Errc::UnknownTopic));
}

TEST_F(ControllerTest, DeleteTopicRemovesIt) {
    add_brokers({""});
    commit(controller_.create_topic(topic("t", 2, 1)));
    commit(controller_.delete_topic("t"));
    EXPECT_EQ(state_.topic("t"), nullptr);
    EXPECT_EQ(controller_.delete_topic("t").error, make_error_code(Errc::UnknownTopic));
}

TEST_F(ControllerTest, FenceLeavesWhatTheBrokerLedLeaderlessAndNeverElects) {
    add_brokers({"a", "b", "c"});
    commit(controller_.create_topic(topic("t", 1, 3)));
    auto p = partition("t", 0);
    int32_t old_leader = p.leader;
    commit(controller_.fence_broker(old_leader, state_.broker(old_leader)->epoch));
    const auto& after = partition("t", 0);
    EXPECT_EQ(after.leader, -1);  // Raft elects; the controller waits for the report
    EXPECT_EQ(after.leader_epoch, p.leader_epoch);
    EXPECT_EQ(after.isr, (std::vector<int32_t>{p.replicas[1], p.replicas[2]}));
    // Fencing a follower: it leaves the ISR, the leader stays.
    int32_t follower = p.replicas[1];
    commit(controller_.fence_broker(follower, state_.broker(follower)->epoch));
    EXPECT_EQ(partition("t", 0).isr, (std::vector<int32_t>{p.replicas[2]}));
    // The last in-sync replica stays in the ISR when it is fenced.
    int32_t last = p.replicas[2];
    commit(controller_.fence_broker(last, state_.broker(last)->epoch));
    EXPECT_EQ(partition("t", 0).isr, (std::vector<int32_t>{last}));
    // Unfencing elects nobody either.
    auto unfenced = controller_.unfence_broker(last, state_.broker(last)->epoch);
    ASSERT_TRUE(unfenced);
    EXPECT_EQ(unfenced.records.size(), 1u);
    commit(unfenced);
    EXPECT_EQ(partition("t", 0).leader, -1);
}

TEST_F(ControllerTest, LeaderReportsFromRaftSetLeaderEpochAndIsr) {
    add_brokers({"a", "b", "c"});
    commit(controller_.create_topic(topic("t", 2, 3)));
    Uuid id = state_.topic("t")->id;
    auto p = partition("t", 0);
    int32_t next = p.replicas[1];
    // A new Raft leader at a higher term.
    commit(controller_.report_leadership(next, {{id, 0, 5, {next, p.replicas[0]}}}));
    EXPECT_EQ(partition("t", 0).leader, next);
    EXPECT_EQ(partition("t", 0).leader_epoch, 5);
    EXPECT_EQ(partition("t", 0).isr, (std::vector<int32_t>{next, p.replicas[0]}));
    // The old leader's report at its old term is stale.
    EXPECT_TRUE(controller_.report_leadership(p.leader, {{id, 0, 4, p.isr}}).records.empty());
    // Same term, another leader: impossible in Raft, refused.
    EXPECT_TRUE(controller_.report_leadership(p.replicas[2], {{id, 0, 5, {p.replicas[2]}}})
                    .records.empty());
    // Same term, same leader: an ISR update; nothing when nothing changed.
    commit(controller_.report_leadership(next, {{id, 0, 5, {next, p.replicas[0], p.replicas[2]}}}));
    EXPECT_EQ(partition("t", 0).isr.size(), 3u);
    EXPECT_EQ(partition("t", 0).leader_epoch, 5);
    EXPECT_TRUE(
        controller_.report_leadership(next, {{id, 0, 5, partition("t", 0).isr}}).records.empty());
    // ISR members that are not live brokers are left out.
    auto unknown_member = controller_.report_leadership(next, {{id, 0, 6, {next, 99}}});
    ASSERT_EQ(unknown_member.records.size(), 1u);
    EXPECT_EQ(std::get<PartitionChangeRecord>(unknown_member.records[0]).isr,
              (std::vector<int32_t>{next}));
    // Skipped: no leader in the ISR, unknown partitions and topics.
    EXPECT_TRUE(controller_.report_leadership(next, {{id, 0, 6, {p.replicas[0]}}}).records.empty());
    EXPECT_TRUE(controller_.report_leadership(next, {{id, 7, 6, {next}}}).records.empty());
    EXPECT_TRUE(
        controller_.report_leadership(next, {{testing::uuid(99), 0, 6, {next}}}).records.empty());
    EXPECT_FALSE(controller_.report_leadership(42, {{id, 0, 6, {42}}}));  // not registered
}

TEST_F(ControllerTest, FencedBrokersNeitherLeadNorJoinIsrsThroughReports) {
    add_brokers({"a", "b", "c"});
    commit(controller_.create_topic(topic("t", 1, 3)));
    Uuid id = state_.topic("t")->id;
    auto p = partition("t", 0);
    int32_t leader = p.leader;
    int32_t follower = p.replicas[1];
    commit(controller_.fence_broker(follower, state_.broker(follower)->epoch));
    // A fenced broker's own reports are skipped.
    EXPECT_TRUE(controller_.report_leadership(follower, {{id, 0, 9, p.replicas}}).records.empty());
    // A live leader's report leaves the fenced follower out of the ISR.
    commit(controller_.report_leadership(leader, {{id, 0, p.leader_epoch, p.replicas}}));
    EXPECT_EQ(partition("t", 0).isr, (std::vector<int32_t>{leader, p.replicas[2]}));
    // The fenced leader's partition waits for Raft; the same leader at the same term comes
    // back once unfenced (one leader per term), or a new one at a higher term.
    commit(controller_.fence_broker(leader, state_.broker(leader)->epoch));
    EXPECT_EQ(partition("t", 0).leader, -1);
    commit(controller_.unfence_broker(leader, state_.broker(leader)->epoch));
    commit(controller_.report_leadership(leader, {{id, 0, p.leader_epoch, {leader}}}));
    EXPECT_EQ(partition("t", 0).leader, leader);
    EXPECT_EQ(partition("t", 0).leader_epoch, p.leader_epoch);
}

TEST_F(ControllerTest, ChangeIsrIsCheckedAgainstTheLeaderEpoch) {
    add_brokers({"a", "b", "c"});
    commit(controller_.create_topic(topic("t", 1, 3)));
    Uuid id = state_.topic("t")->id;
    const auto p = partition("t", 0);
    EXPECT_FALSE(controller_.change_isr(id, 0, p.leader_epoch + 1, {p.leader}));
    EXPECT_FALSE(controller_.change_isr(id, 0, p.leader_epoch, {p.replicas[1]}));  // no leader
    EXPECT_FALSE(controller_.change_isr(id, 0, p.leader_epoch, {p.leader, 99}));
    EXPECT_FALSE(controller_.change_isr(id, 7, p.leader_epoch, {p.leader}));
    EXPECT_TRUE(controller_.change_isr(id, 0, p.leader_epoch, p.isr).records.empty());
}

TEST_F(ControllerTest, RestartedBrokerLosesLeadershipUntilRaftReportsAgain) {
    add_brokers({"a", "b"});
    commit(controller_.create_topic(topic("t", 2, 2)));
    int32_t leader = partition("t", 0).leader;
    BrokerRegistrationRequest again{leader, testing::uuid(77), *state_.broker(leader)->rack, {}};
    commit(controller_.register_broker(again));
    EXPECT_EQ(partition("t", 0).leader, -1);
    EXPECT_NE(partition("t", 1).leader, leader);
    EXPECT_TRUE(state_.broker(leader)->fenced);
}

// Random fences, unfences and leader reports: every state is valid, leader epochs never go
// back, and no fenced broker leads.
TEST_F(ControllerTest, RandomFencesAndReportsKeepEpochsMonotonicAndFencedBrokersLeaderless) {
    add_brokers({"a", "a", "b", "b", "c"});
    commit(controller_.create_topic(topic("t", 20, 3)));
    std::mt19937 rng(99);
    for (int step = 0; step < 1000; ++step) {
        auto before = *state_.topic("t");
        auto b = static_cast<int32_t>(1 + rng() % 5);
        int64_t epoch = state_.broker(b)->epoch;
        if (rng() % 2 == 0) {
            auto p = static_cast<int32_t>(rng() % 20);
            const auto& ps = before.partitions[static_cast<size_t>(p)];
            int32_t term = ps.leader_epoch + static_cast<int32_t>(rng() % 3) - 1;
            std::vector<int32_t> isr{b};
            for (int32_t r : ps.replicas) {
                if (r != b && rng() % 2) isr.push_back(r);
            }
            commit(controller_.report_leadership(b, {{before.id, p, std::max(term, 0), isr}}));
        } else if (state_.broker(b)->fenced) {
            commit(controller_.unfence_broker(b, epoch));
        } else {
            commit(controller_.fence_broker(b, epoch));
        }
        const auto& now = *state_.topic("t");
        for (size_t i = 0; i < now.partitions.size(); ++i) {
            const auto& p = now.partitions[i];
            ASSERT_TRUE(is_valid_partition(p));
            EXPECT_GE(p.leader_epoch, before.partitions[i].leader_epoch) << "step " << step;
            if (p.leader != -1) {
                EXPECT_FALSE(state_.broker(p.leader)->fenced) << "step " << step;
            }
        }
    }
}

TEST_F(ControllerTest, CacheFollowsTheCommittedLog) {
    MetadataCache cache;
    int updates = 0;
    cache.on_update([&](const MetadataState&) { ++updates; });
    add_brokers({"a", "b"});
    commit(controller_.create_topic(topic("t", 2, 2)));
    // Replay the leader's state into the cache through a snapshot, then one more entry.
    ASSERT_TRUE(cache.restore(state_.snapshot()));
    EXPECT_EQ(*cache.current(), state_);
    auto result = controller_.create_topic(topic("u", 1, 1));
    ASSERT_TRUE(result);
    commit(result);
    cache.apply_entry(index_, encode_batch(result.records));
    EXPECT_EQ(*cache.current(), state_);
    EXPECT_EQ(updates, 2);
    auto topics = cache.topic_snapshot();
    ASSERT_NE(topics->find("t"), nullptr);
    EXPECT_EQ(topics->find("t")->partition_count, 2);
    EXPECT_EQ(topics->find("t")->replication_factor, 2);
    EXPECT_EQ(topics->find(state_.topic("u")->id)->name, "u");
    auto brokers = cache.live_brokers("PLAIN");
    ASSERT_EQ(brokers.size(), 2u);
    EXPECT_EQ(brokers[0], (BrokerAddress{1, "b1", 9092, "a"}));
    EXPECT_TRUE(cache.live_brokers("OTHER").empty());
}

}  // namespace
}  // namespace broker::cluster
