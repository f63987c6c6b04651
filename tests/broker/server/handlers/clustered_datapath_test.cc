// The data-path handlers in clustered mode: every partition is served from shard 0 through the
// DataPath that PartitionManager::data_path returns (here a fake standing in for a
// ReplicatedPartition); min.insync.replicas comes from the topic, else the broker; a partition
// this broker does not hold answers NOT_LEADER_OR_FOLLOWER.

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "broker/cluster/metadata_cache.h"
#include "broker/partition/errc.h"
#include "broker/server/handlers/list_offsets.h"
#include "broker/server/handlers/offset_for_leader_epoch.h"
#include "broker/server/handlers/produce.h"
#include "common/protocol/error_code.h"
#include "tests/broker/partition/test_batches.h"
#include "tests/broker/server/handlers/datapath_fixture.h"

namespace broker::server::handlers {
namespace {

using common::protocol::ErrorCode;

// A leader in term 7 that records what it was asked.
class FakeReplica final : public partition::DataPath {
  public:
    common::awaitable<common::Result<partition::ProduceResult>> produce(
        std::vector<uint8_t>, int16_t, int32_t min_insync_replicas) override {
        last_min_insync = min_insync_replicas;
        co_return partition::ProduceResult{.base_offset = 41, .log_start_offset = 0};
    }
    common::Result<partition::FetchData> read(int64_t, int32_t, bool) override {
        return partition::FetchData{};
    }
    void add_waiter(int64_t, partition::FetchWaker waker) override { waker.wake(); }
    common::Result<partition::TimestampOffset> offset_for(int64_t) override {
        return partition::TimestampOffset{-1, 42};
    }
    common::Result<partition::EpochEndOffset> end_offset_for_epoch(int32_t epoch) override {
        return partition::EpochEndOffset{epoch, 17};
    }
    common::Result<void> check_leader_epoch(int32_t current) const override {
        if (current == -1 || current == 7) return common::ok();
        return current > 7 ? partition::Errc::UnknownLeaderEpoch
                           : partition::Errc::FencedLeaderEpoch;
    }
    int32_t leader_epoch() const override { return 7; }
    void set_settings(partition::PartitionSettings) override {}

    std::atomic<int32_t> last_min_insync{0};
};

class ClusteredDatapathTest : public testing::DatapathFixture {
  protected:
    ClusteredDatapathTest() {
        services_.metadata = &cache_;
        managers_.on(0).set_clustered(true);
    }
    // A topic whose partition 0 is replicated here (on shard 0) and partition 1 is not.
    void add_topic(cluster::TopicConfigMap configs) {
        cluster::TopicInfo info;
        info.name = "r";
        info.partition_count = 2;
        info.configs = std::move(configs);
        topics_.add(info);
        std::promise<void> done;
        common::asio::post(shards_.context(0), [&] {
            managers_.on(0).attach_replicated("r", 0, replica_);
            done.set_value();
        });
        done.get_future().get();
    }
    ProduceHandler::Response produce(int32_t partition) {
        ProduceHandler::Request r;
        r.acks = -1;
        r.timeout_ms = 1000;
        auto& t = r.topic_data.emplace_back();
        t.name = "r";
        auto& p = t.partition_data.emplace_back();
        p.index = partition;
        p.records = partition::testing::make_batch({});
        return call<ProduceHandler>(std::move(r), 7);
    }

    cluster::MetadataCache cache_;
    std::shared_ptr<FakeReplica> replica_ = std::make_shared<FakeReplica>();
};

TEST_F(ClusteredDatapathTest, AcksAllUsesTheTopicsMinInsyncReplicasElseTheBrokers) {
    config_.min_insync_replicas = 3;
    add_topic({});
    auto r = produce(0);
    EXPECT_EQ(r.responses[0].partition_responses[0].error_code, 0);
    EXPECT_EQ(r.responses[0].partition_responses[0].base_offset, 41);
    EXPECT_EQ(replica_->last_min_insync, 3);

    add_topic({{"min.insync.replicas", "2"}});
    produce(0);
    EXPECT_EQ(replica_->last_min_insync, 2);
}

TEST_F(ClusteredDatapathTest, APartitionThisBrokerDoesNotHoldIsNotLedHere) {
    add_topic({});
    auto r = produce(1);
    EXPECT_EQ(r.responses[0].partition_responses[0].error_code,
              static_cast<int16_t>(ErrorCode::NotLeaderOrFollower));
    EXPECT_EQ(r.responses[0].partition_responses[0].base_offset, -1);
}

TEST_F(ClusteredDatapathTest, ListOffsetsAndOffsetForLeaderEpochAnswerWithTheReplicasEpoch) {
    add_topic({});
    ListOffsetsHandler::Request lo;
    lo.replica_id = -1;
    auto& lt = lo.topics.emplace_back();
    lt.name = "r";
    auto& lp = lt.partitions.emplace_back();
    lp.partition_index = 0;
    lp.timestamp = -1;
    lp.current_leader_epoch = 7;
    auto listed = call<ListOffsetsHandler>(std::move(lo), 5).topics.at(0).partitions.at(0);
    EXPECT_EQ(listed.error_code, 0);
    EXPECT_EQ(listed.offset, 42);
    EXPECT_EQ(listed.leader_epoch, 7);

    OffsetForLeaderEpochHandler::Request oe;
    auto& ot = oe.topics.emplace_back();
    ot.topic = "r";
    auto& op = ot.partitions.emplace_back();
    op.partition = 0;
    op.current_leader_epoch = 6;  // older than the replica's: fenced
    op.leader_epoch = 5;
    auto fenced = call<OffsetForLeaderEpochHandler>(oe, 4).topics.at(0).partitions.at(0);
    EXPECT_EQ(fenced.error_code, static_cast<int16_t>(ErrorCode::FencedLeaderEpoch));
    oe.topics[0].partitions[0].current_leader_epoch = 7;
    auto ended = call<OffsetForLeaderEpochHandler>(oe, 4).topics.at(0).partitions.at(0);
    EXPECT_EQ(ended.error_code, 0);
    EXPECT_EQ(ended.leader_epoch, 5);
    EXPECT_EQ(ended.end_offset, 17);
}

}  // namespace
}  // namespace broker::server::handlers
