#include "broker/cluster/metadata_state_machine.h"

#include <gtest/gtest.h>

#include "metadata_test_records.h"

namespace broker::cluster {
namespace {

raft::Entry entry(raft::Index index, raft::EntryType type, raft::Bytes payload) {
    return raft::Entry{common::Term(1), index, type, std::move(payload)};
}

TEST(MetadataStateMachineTest, AppliesDataEntriesAndSnapshotsThroughTheCache) {
    MetadataCache cache;
    MetadataStateMachine machine(cache);
    machine.apply(entry(1, raft::EntryType::Noop, {}));
    machine.apply(entry(2, raft::EntryType::Data, encode_batch(testing::every_record_type())));
    machine.apply(entry(3, raft::EntryType::Configuration, {1, 2, 3}));
    EXPECT_NE(cache.current()->topic("orders"), nullptr);
    EXPECT_EQ(cache.current()->last_applied(), 2);

    auto snapshot = machine.take_snapshot();
    ASSERT_TRUE(snapshot);
    MetadataCache other_cache;
    MetadataStateMachine other(other_cache);
    raft::SnapshotMeta meta{3, common::Term(1), {}};
    ASSERT_TRUE(other.restore_snapshot(meta, snapshot.value()));
    EXPECT_EQ(*other_cache.current(), *cache.current());
    // A replayed entry at or below the snapshot changes nothing.
    other.apply(entry(2, raft::EntryType::Data, encode_batch({testing::broker_record(50, 99)})));
    EXPECT_EQ(*other_cache.current(), *cache.current());
}

TEST(MetadataStateMachineTest, EmptyInitialSnapshotGivesAnEmptyStateAndGarbageIsRefused) {
    MetadataCache cache;
    MetadataStateMachine machine(cache);
    machine.apply(entry(1, raft::EntryType::Data, encode_batch(testing::every_record_type())));
    ASSERT_TRUE(machine.restore_snapshot(raft::SnapshotMeta{}, {}));
    EXPECT_EQ(*cache.current(), MetadataState());
    machine.apply(entry(1, raft::EntryType::Data, encode_batch(testing::every_record_type())));
    const MetadataState before = *cache.current();
    EXPECT_FALSE(machine.restore_snapshot(raft::SnapshotMeta{}, {0, 0, 1}));
    EXPECT_EQ(*cache.current(), before);
}

}  // namespace
}  // namespace broker::cluster
