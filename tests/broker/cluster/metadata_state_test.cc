#include "broker/cluster/metadata_state.h"

#include <gtest/gtest.h>

#include <random>

#include "common/errc.h"
#include "metadata_test_records.h"

namespace broker::cluster {
namespace {

using testing::broker_record;
using testing::every_record_type;
using testing::kClusterId;
using testing::uuid;

MetadataState applied(const std::vector<MetadataRecord>& records) {
    MetadataState state;
    for (const auto& r : records) {
        auto result = state.apply(r);
        EXPECT_TRUE(result) << record_type_name(type_of(r));
    }
    return state;
}

TEST(MetadataStateTest, EveryRecordTypeChangesTheState) {
    MetadataState state = applied(every_record_type());
    ASSERT_EQ(state.brokers().size(), 1u);  // broker 2 unregistered
    const auto* b1 = state.broker(1);
    ASSERT_NE(b1, nullptr);
    EXPECT_FALSE(b1->fenced);
    EXPECT_EQ(b1->rack, "a");
    ASSERT_NE(b1->endpoint("PLAIN"), nullptr);
    EXPECT_EQ(b1->endpoint("PLAIN")->host, "b1.svc");
    EXPECT_EQ(state.last_broker_epoch(), 2);
    const auto* orders = state.topic("orders");
    ASSERT_NE(orders, nullptr);
    EXPECT_EQ(state.topic(uuid(1)), orders);
    ASSERT_EQ(orders->partitions.size(), 1u);
    const auto& p = orders->partitions[0];
    EXPECT_EQ(p.replicas, (std::vector<int32_t>{1, 2}));
    EXPECT_EQ(p.isr, (std::vector<int32_t>{2}));
    EXPECT_EQ(p.leader, 2);
    EXPECT_EQ(p.leader_epoch, 9);     // set by the version-1 PartitionChange
    EXPECT_EQ(p.partition_epoch, 2);  // two changes
    EXPECT_EQ(orders->configs.at("retention.ms"), "1000");
    EXPECT_EQ(state.broker_configs().at("").at("log.retention.ms"), "5000");
    EXPECT_EQ(state.topic("gone"), nullptr);
    EXPECT_EQ(state.cluster_id(), kClusterId);
}

TEST(MetadataStateTest, ClusterIdIsSetOnceAndNeverChanged) {
    MetadataState state;
    EXPECT_EQ(state.cluster_id(), "");
    EXPECT_FALSE(state.apply(ClusterIdRecord{"not-a-cluster-id"}));
    EXPECT_FALSE(state.apply(ClusterIdRecord{""}));
    EXPECT_EQ(state.cluster_id(), "");
    ASSERT_TRUE(state.apply(ClusterIdRecord{kClusterId}));
    EXPECT_TRUE(state.apply(ClusterIdRecord{kClusterId}));  // the same id again: no change
    const MetadataState before = state;
    EXPECT_FALSE(state.apply(ClusterIdRecord{std::string(22, 'A')}));  // another id: refused
    EXPECT_EQ(state, before);
    EXPECT_EQ(state.cluster_id(), kClusterId);
}

TEST(MetadataStateTest, ClusterIdSurvivesSnapshotAndRestore) {
    MetadataState state = applied({ClusterIdRecord{kClusterId}, broker_record(1, 1)});
    MetadataState restored;
    ASSERT_TRUE(restored.restore(state.snapshot()));
    EXPECT_EQ(restored.cluster_id(), kClusterId);
    EXPECT_EQ(restored, state);
    // A state without an id snapshots without one.
    MetadataState bare = applied({broker_record(1, 1)});
    ASSERT_TRUE(restored.restore(bare.snapshot()));
    EXPECT_EQ(restored.cluster_id(), "");
}

TEST(MetadataStateTest, ReportedLeaderEpochsNeverGoBackAndHaveOneLeaderEach) {
    MetadataState state =
        applied({broker_record(1, 1), broker_record(2, 2), TopicRecord{"t", uuid(1)},
                 PartitionRecord{uuid(1), 0, {1, 2}, {1, 2}, 1, 3, 0}});
    auto change = [](std::optional<int32_t> leader, int32_t epoch) {
        return PartitionChangeRecord{uuid(1), 0, leader, std::nullopt, std::nullopt, epoch};
    };
    EXPECT_FALSE(state.apply(change(2, 2)));  // an older term
    EXPECT_FALSE(state.apply(change(2, 3)));  // another leader in the same term
    ASSERT_TRUE(state.apply(change(-1, 3)));  // fenced: no leader, same epoch
    EXPECT_EQ(state.topic("t")->partitions[0].leader_epoch, 3);
    ASSERT_TRUE(state.apply(change(1, 3)));  // the term's leader reports again
    ASSERT_TRUE(state.apply(change(2, 7)));  // a new term's leader
    const auto& p = state.topic("t")->partitions[0];
    EXPECT_EQ(p.leader, 2);
    EXPECT_EQ(p.leader_epoch, 7);
    EXPECT_EQ(p.partition_epoch, 3);
}

TEST(MetadataStateTest, ConfigDeletionRemovesTheKey) {
    auto records = every_record_type();
    records.push_back(ConfigRecord{ConfigResourceType::Topic, "orders", "retention.ms", {}});
    records.push_back(ConfigRecord{ConfigResourceType::Broker, "", "log.retention.ms", {}});
    MetadataState state = applied(records);
    EXPECT_TRUE(state.topic("orders")->configs.empty());
    EXPECT_TRUE(state.broker_configs().empty());
}

TEST(MetadataStateTest, SnapshotThenRestoreGivesAnIdenticalState) {
    MetadataState state = applied(every_record_type());
    (void)state.apply_entry(42, encode_batch({}));
    auto bytes = state.snapshot();
    MetadataState restored;
    ASSERT_TRUE(restored.restore(bytes));
    EXPECT_EQ(restored, state);
    EXPECT_EQ(restored.last_applied(), 42);
    EXPECT_EQ(restored.snapshot(), bytes);
}

TEST(MetadataStateTest, CorruptSnapshotIsRefusedAndTheStateKept) {
    MetadataState state = applied(every_record_type());
    auto bytes = state.snapshot();
    MetadataState other = applied({broker_record(9, 5)});
    const MetadataState before = other;
    for (size_t n = 0; n < bytes.size(); n += 7) {
        EXPECT_FALSE(other.restore(std::span(bytes.data(), n))) << "cut at " << n;
        EXPECT_EQ(other, before);
    }
    auto newer = bytes;
    newer[1] = 1;  // snapshot version 1
    EXPECT_FALSE(other.restore(newer));
    EXPECT_EQ(other, before);
}

TEST(MetadataStateTest, InvalidRecordsAreRejectedWithoutChangingTheState) {
    MetadataState state = applied(every_record_type());
    const MetadataState before = state;
    std::vector<MetadataRecord> bad = {
        broker_record(1, 1),                                       // stale epoch
        broker_record(-1, 10),                                     // negative id
        RegisterBrokerRecord{5, {}, 10, std::string(), {}, true},  // empty rack
        UnregisterBrokerRecord{2, 2},                              // unknown broker
        UnregisterBrokerRecord{1, 7},                              // wrong epoch
        BrokerFencingRecord{1, 9, true},                           // wrong epoch
        BrokerFencingRecord{8, 1, true},                           // unknown broker
        TopicRecord{"orders", uuid(9)},                            // name taken
        TopicRecord{"other", uuid(1)},                             // id taken
        TopicRecord{"bad name!", uuid(9)},                         // illegal name
        TopicRecord{"zero", Uuid{}},                               // zero id
        PartitionRecord{uuid(7), 0, {1}, {1}, 1, 0, 0},            // unknown topic
        PartitionRecord{uuid(1), 5, {1}, {1}, 1, 0, 0},            // not the next index
        PartitionRecord{uuid(1), 1, {}, {}, -1, 0, 0},             // no replicas
        PartitionRecord{uuid(1), 1, {1, 1}, {1}, 1, 0, 0},         // duplicate replica
        PartitionRecord{uuid(1), 1, {1, 2}, {3}, 3, 0, 0},         // isr not in replicas
        PartitionRecord{uuid(1), 1, {1, 2}, {1}, 2, 0, 0},         // leader not in isr
        PartitionRecord{uuid(1), 1, {1, 2}, {1}, 1, -1, 0},        // negative epoch
        PartitionChangeRecord{uuid(1), 3, 1, std::nullopt, std::nullopt,
                              std::nullopt},  // unknown partition
        PartitionChangeRecord{uuid(1), 0, 1, std::nullopt, std::nullopt,
                              std::nullopt},  // 1 not in isr {2}
        PartitionChangeRecord{uuid(1), 0, std::nullopt, std::vector<int32_t>{5}, std::nullopt,
                              std::nullopt},
        PartitionChangeRecord{uuid(1), 0, std::nullopt, std::nullopt, std::vector<int32_t>{1},
                              std::nullopt},
        ConfigRecord{ConfigResourceType::Topic, "missing", "retention.ms", "1"},
        ConfigRecord{ConfigResourceType::Topic, "orders", "", "1"},
        RemoveTopicRecord{uuid(7)},
    };
    for (size_t i = 0; i < bad.size(); ++i) {
        EXPECT_FALSE(state.apply(bad[i]))
            << "record " << i << " (" << record_type_name(type_of(bad[i])) << ")";
        EXPECT_EQ(state, before) << "record " << i;
    }
}

TEST(MetadataStateTest, GarbageEntriesAreSkippedAndCounted) {
    MetadataState state = applied(every_record_type());
    const auto brokers = state.brokers();
    std::vector<uint8_t> garbage = {1, 2, 3};
    EXPECT_EQ(state.apply_entry(1, garbage), 1u);
    EXPECT_EQ(state.apply_entry(
                  2, encode_batch({TopicRecord{"orders", uuid(9)}, TopicRecord{"fresh", uuid(9)}})),
              1u);
    EXPECT_NE(state.topic("fresh"), nullptr);
    EXPECT_EQ(state.brokers(), brokers);
    EXPECT_EQ(state.last_applied(), 2);
}

// A log of entries: every record type, then random topic and partition changes.
std::vector<common::protocol::Bytes> sample_log(uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<common::protocol::Bytes> log;
    for (const auto& r : every_record_type()) log.push_back(encode_batch({r}));
    for (int i = 0; i < 200; ++i) {
        std::vector<MetadataRecord> batch;
        Uuid id = uuid(static_cast<uint8_t>(10 + i % 50));
        switch (rng() % 4) {
            case 0:
                batch.push_back(TopicRecord{"t" + std::to_string(i % 50), id});
                batch.push_back(PartitionRecord{id, 0, {1}, {1}, 1, 0, 0});
                break;
            case 1:
                batch.push_back(PartitionChangeRecord{id, 0, rng() % 2 ? 1 : -1, std::nullopt,
                                                      std::nullopt, std::nullopt});
                break;
            case 2:
                batch.emplace_back(std::in_place_type<ConfigRecord>, ConfigResourceType::Topic,
                                   "t" + std::to_string(i % 50), "retention.ms",
                                   std::to_string(rng() % 1000));
                break;
            default:
                batch.push_back(RemoveTopicRecord{id});
        }
        log.push_back(encode_batch(batch));
    }
    return log;
}

TEST(MetadataStateTest, ReplayedLogAfterRestartGivesTheSameState) {
    for (uint32_t seed = 1; seed <= 20; ++seed) {
        auto log = sample_log(seed);
        MetadataState live;
        for (size_t i = 0; i < log.size(); ++i) live.apply_entry(int64_t(i + 1), log[i]);

        // Restart from nothing: replay the whole log.
        MetadataState replayed;
        for (size_t i = 0; i < log.size(); ++i) replayed.apply_entry(int64_t(i + 1), log[i]);
        EXPECT_EQ(replayed, live) << "seed " << seed;

        // Restart from a snapshot taken mid-way; the replay starts before it (already applied
        // entries are ignored).
        size_t cut = log.size() / 2;
        MetadataState first;
        for (size_t i = 0; i < cut; ++i) first.apply_entry(int64_t(i + 1), log[i]);
        MetadataState restarted;
        ASSERT_TRUE(restarted.restore(first.snapshot()));
        for (size_t i = cut / 2; i < log.size(); ++i) {
            restarted.apply_entry(int64_t(i + 1), log[i]);
        }
        EXPECT_EQ(restarted, live) << "seed " << seed;
        EXPECT_EQ(restarted.snapshot(), live.snapshot()) << "seed " << seed;
    }
}

}  // namespace
}  // namespace broker::cluster
