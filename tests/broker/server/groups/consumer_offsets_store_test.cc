#include "broker/server/groups/consumer_offsets_store.h"

#include <gtest/gtest.h>

#include "broker/partition/errc.h"
#include "broker/partition/partition_manager.h"
#include "broker/partition/storage_log_store.h"
#include "broker/server/groups/offsets_record_codec.h"
#include "broker/storage/fake_file_io.h"
#include "broker/storage/log_manager.h"
#include "common/protocol/records/record_batch_builder.h"
#include "common/protocol/records/record_iterator.h"

namespace broker::server::groups {
namespace {

namespace records = common::records;
using Bytes = std::vector<uint8_t>;

constexpr int32_t kPartitions = 3;
const std::string kDir = "/data";

template <class T>
common::awaitable<void> capture(common::awaitable<T> task, std::optional<T>* out) {
    out->emplace(co_await std::move(task));
}

// A broker's storage stack over an in-memory file system: LogManager, one shard's
// PartitionManager with the __consumer_offsets partitions open, and the store on top.
// reopen() simulates a restart (after crash(), a kill -9 or power loss) on the same "disk".
class ConsumerOffsetsStoreTest : public ::testing::Test {
  protected:
    ConsumerOffsetsStoreTest() { reopen(); }

    void reopen(storage::LogConfig config = {}) {
        store_.reset();
        partitions_.reset();
        logs_.reset();
        auto logs = storage::LogManager::open(io_, {kDir}, storage::LogConfig{});
        ASSERT_TRUE(logs);
        logs_ = std::move(logs).value();
        partitions_ = std::make_unique<partition::PartitionManager>(
            ctx_.get_executor(), std::make_unique<partition::StorageLogStore>(logs_.get()));
        for (int32_t p = 0; p < kPartitions; ++p) {
            ASSERT_TRUE(partitions_->create(std::string(kOffsetsTopic), p, config, {}));
        }
        store_ = std::make_unique<ConsumerOffsetsStore>(
            partitions_.get(), [] { return kPartitions; }, 1, [this] { return now_; });
    }

    template <class T>
    T run(common::awaitable<T> task) {
        std::optional<T> out;
        common::asio::co_spawn(ctx_, capture(std::move(task), &out), common::asio::detached);
        ctx_.run();
        ctx_.restart();
        EXPECT_TRUE(out.has_value());
        return std::move(*out);
    }

    std::vector<LoadedGroup> load(int32_t p) {
        auto loaded = run(store_->load(p));
        EXPECT_TRUE(loaded) << loaded.error().message();
        return loaded ? std::move(loaded).value() : std::vector<LoadedGroup>{};
    }

    // The loaded state of `group` from its partition (nullopt when load() does not return it).
    std::optional<LoadedGroup> load_group(const std::string& group) {
        for (auto& g : load(store_->partition_for(group))) {
            if (g.group_id == group) return std::move(g);
        }
        return std::nullopt;
    }

    // Appends raw key/value records to partition `p`, bypassing the store.
    void append_raw(int32_t p, std::vector<std::pair<Bytes, std::optional<Bytes>>> kvs) {
        records::RecordBatchBuilder builder(records::BatchOptions{});
        for (auto& [k, v] : kvs) {
            builder.add(records::NewRecord{
                .key = k, .value = v, .timestamp = now_, .headers = {}, .offset_delta = {}});
        }
        auto part = partitions_->get(std::string(kOffsetsTopic), p);
        ASSERT_TRUE(part);
        auto written = run(part->produce(builder.build().value(), -1));
        ASSERT_TRUE(written);
    }

    static CommittedOffset commit(int64_t offset, int64_t ts = 1000) {
        return CommittedOffset{offset, 3, std::string("meta"), ts, -1};
    }

    storage::FakeFileIo io_;
    common::asio::io_context ctx_;
    int64_t now_ = 1700000000000;
    std::unique_ptr<storage::LogManager> logs_;
    std::unique_ptr<partition::PartitionManager> partitions_;
    std::unique_ptr<ConsumerOffsetsStore> store_;
};

GroupRecord group_record(int32_t generation) {
    GroupRecord g;
    g.protocol_type = "consumer";
    g.generation = generation;
    g.protocol = "range";
    g.leader = "m1";
    g.current_state_timestamp_ms = 5;
    g.members.push_back(MemberRecord{"m1", std::nullopt, "c1", "/127.0.0.1", 300, 100, {1}, {2}});
    return g;
}

TEST_F(ConsumerOffsetsStoreTest, PartitionForFollowsKafkasHashRule) {
    EXPECT_EQ(store_->partition_for("my-group"), offsets_partition_for("my-group", kPartitions));
    EXPECT_EQ(store_->partition_for("hello"), 99162322 % kPartitions);
}

TEST_F(ConsumerOffsetsStoreTest, WrittenGroupAndOffsetsLoadBackWithTheNewestValuePerKey) {
    const std::string g = "orders";
    ASSERT_TRUE(run(store_->write_group(g, group_record(1))));
    ASSERT_TRUE(run(store_->write_offsets(g, {{{"t", 0}, commit(5)}, {{"t", 1}, commit(7)}})));
    ASSERT_TRUE(run(store_->write_offsets(g, {{{"t", 0}, commit(9, 2000)}})));
    ASSERT_TRUE(run(store_->write_group(g, group_record(2))));
    auto loaded = load_group(g);
    ASSERT_TRUE(loaded);
    ASSERT_TRUE(loaded->metadata);
    EXPECT_EQ(*loaded->metadata, group_record(2));
    OffsetMap expected{{{"t", 0}, commit(9, 2000)}, {{"t", 1}, commit(7)}};
    EXPECT_EQ(loaded->offsets, expected);
}

TEST_F(ConsumerOffsetsStoreTest, RecordsAreWrittenInKafkasFormatToTheGroupsPartition) {
    const std::string g = "fmt";
    ASSERT_TRUE(run(store_->write_offsets(g, {{{"t", 4}, commit(11)}})));
    auto p = partitions_->get(std::string(kOffsetsTopic), store_->partition_for(g));
    auto read = p->read(0, 1 << 20, true);
    ASSERT_TRUE(read);
    auto recs = records::read_all_records(read.value().records, 1 << 20);
    ASSERT_TRUE(recs);
    ASSERT_EQ(recs.value().size(), 1u);
    EXPECT_EQ(recs.value()[0].key, encode_offset_key(g, {"t", 4}));
    EXPECT_EQ(recs.value()[0].value, encode_offset_value(commit(11)));
    EXPECT_EQ(recs.value()[0].timestamp, now_);
}

TEST_F(ConsumerOffsetsStoreTest, DeletedOffsetsAreGoneAfterLoad) {
    const std::string g = "g1";
    ASSERT_TRUE(run(store_->write_offsets(g, {{{"a", 0}, commit(1)}, {{"b", 0}, commit(2)}})));
    ASSERT_TRUE(run(store_->delete_offsets(g, {{"a", 0}})));
    auto loaded = load_group(g);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->offsets, (OffsetMap{{{"b", 0}, commit(2)}}));
    EXPECT_FALSE(loaded->metadata);
}

TEST_F(ConsumerOffsetsStoreTest, DeletedGroupIsNotReturnedByLoad) {
    const std::string g = "doomed";
    OffsetMap offsets{{{"a", 0}, commit(1)}, {{"a", 1}, commit(2)}};
    ASSERT_TRUE(run(store_->write_group(g, group_record(1))));
    ASSERT_TRUE(run(store_->write_offsets(g, offsets)));
    ASSERT_TRUE(run(store_->delete_group(g, offsets)));
    EXPECT_FALSE(load_group(g));
}

TEST_F(ConsumerOffsetsStoreTest, GroupWithTombstonedMetadataKeepsItsOffsets) {
    const std::string g = "offsets-only";
    ASSERT_TRUE(run(store_->write_group(g, group_record(1))));
    ASSERT_TRUE(run(store_->write_offsets(g, {{{"a", 0}, commit(1)}})));
    append_raw(store_->partition_for(g), {{encode_group_key(g), std::nullopt}});
    auto loaded = load_group(g);
    ASSERT_TRUE(loaded);
    EXPECT_FALSE(loaded->metadata);
    EXPECT_EQ(loaded->offsets.size(), 1u);
}

TEST_F(ConsumerOffsetsStoreTest, AcknowledgedCommitSurvivesACrashThatDropsUnsyncedBytes) {
    const std::string g = "durable";
    ASSERT_TRUE(run(store_->write_group(g, group_record(4))));
    ASSERT_TRUE(run(store_->write_offsets(g, {{{"t", 0}, commit(100)}})));
    io_.crash();  // kill -9 / power loss: only fdatasync'ed bytes remain
    reopen();
    auto loaded = load_group(g);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->offsets, (OffsetMap{{{"t", 0}, commit(100)}}));
    ASSERT_TRUE(loaded->metadata);
    EXPECT_EQ(loaded->metadata->generation, 4);
}

TEST_F(ConsumerOffsetsStoreTest, StateSurvivesACleanRestart) {
    const std::string g = "clean";
    ASSERT_TRUE(run(store_->write_offsets(g, {{{"t", 2}, commit(3)}})));
    // A clean stop flushes and checkpoints every log (producer snapshots live on the real file
    // system and are not part of this in-memory one).
    ASSERT_TRUE(logs_->close());
    reopen();
    auto loaded = load_group(g);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->offsets, (OffsetMap{{{"t", 2}, commit(3)}}));
}

TEST_F(ConsumerOffsetsStoreTest, UnreadableRecordsAreSkippedAndTheRestLoads) {
    const std::string g = "robust";
    const int32_t p = store_->partition_for(g);
    ASSERT_TRUE(run(store_->write_offsets(g, {{{"t", 0}, commit(1)}})));
    append_raw(p, {
                      {Bytes{0, 1, 0xff}, Bytes{1, 2}},                     // bad key
                      {encode_offset_key(g, {"t", 0}), Bytes{0, 3, 0, 0}},  // bad value
                      {encode_group_key(g), Bytes{0, 3, 1}},                // bad group value
                      {Bytes{0, 9, 0, 1, 'x'}, Bytes{0, 0}},                // unknown key version
                      {encode_offset_key(g, {"t", 1}), encode_offset_value(commit(8))},
                  });
    auto loaded = load_group(g);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->offsets, (OffsetMap{{{"t", 0}, commit(1)}, {{"t", 1}, commit(8)}}));
    EXPECT_FALSE(loaded->metadata);
}

TEST_F(ConsumerOffsetsStoreTest, CompactedPartitionLoadsTheSameGroupsAfterACrash) {
    storage::LogConfig compacted;  // as __consumer_offsets runs, with tiny segments
    compacted.cleanup_delete = false;
    compacted.cleanup_compact = true;
    compacted.segment_bytes = 200;
    compacted.min_cleanable_dirty_ratio = 0;
    reopen(compacted);
    const std::string g = "compacted";
    for (int64_t i = 0; i < 20; ++i) {
        ASSERT_TRUE(run(store_->write_offsets(g, {{{"t", 0}, commit(i)}, {{"t", 1}, commit(i)}})));
        ASSERT_TRUE(run(store_->write_group(g, group_record(static_cast<int32_t>(i)))));
    }
    ASSERT_TRUE(run(store_->write_offsets(g, {{{"t", 1}, commit(100)}})));
    const int32_t p = store_->partition_for(g);
    auto* log = logs_->get({std::string(kOffsetsTopic), p});
    ASSERT_NE(log, nullptr);
    auto stats = log->compact(now_);
    ASSERT_TRUE(stats) << stats.error().message();
    EXPECT_GT(stats.value().records_removed, 0);
    io_.crash();
    reopen(compacted);
    auto loaded = load_group(g);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->offsets, (OffsetMap{{{"t", 0}, commit(19)}, {{"t", 1}, commit(100)}}));
    ASSERT_TRUE(loaded->metadata);
    EXPECT_EQ(loaded->metadata->generation, 19);
}

TEST_F(ConsumerOffsetsStoreTest, LoadOfAnEmptyPartitionFindsNoGroups) {
    EXPECT_TRUE(load(0).empty());
}

TEST_F(ConsumerOffsetsStoreTest, WritesToAPartitionThisShardDoesNotHoldFail) {
    ConsumerOffsetsStore other(
        partitions_.get(), [] { return 100; }, 1, [] { return int64_t{0}; });
    std::string group = "x";
    while (other.partition_for(group) < kPartitions) group += "x";
    auto written = run(other.write_offsets(group, {{{"t", 0}, commit(1)}}));
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error(), partition::Errc::UnknownTopicOrPartition);
    EXPECT_FALSE(run(other.load(50)));
}

TEST_F(ConsumerOffsetsStoreTest, GroupsHaveNoPartitionUntilTheTopicExists) {
    int32_t count = 0;
    ConsumerOffsetsStore store(
        partitions_.get(), [&count] { return count; }, 1, [] { return int64_t{0}; });
    EXPECT_EQ(store.partition_for("g"), -1);
    count = kPartitions;
    EXPECT_EQ(store.partition_for("g"), store_->partition_for("g"));
    EXPECT_GE(store.partition_for("g"), 0);
}

TEST_F(ConsumerOffsetsStoreTest, EmptyWritesAppendNothing) {
    ASSERT_TRUE(run(store_->write_offsets("g", {})));
    ASSERT_TRUE(run(store_->delete_offsets("g", {})));
    auto p = partitions_->get(std::string(kOffsetsTopic), store_->partition_for("g"));
    EXPECT_EQ(p->log_end_offset(), 0);
}

}  // namespace
}  // namespace broker::server::groups
