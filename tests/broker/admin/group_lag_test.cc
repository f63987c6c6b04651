#include "broker/admin/group_lag.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <future>
#include <nlohmann/json.hpp>

#include "broker/admin/admin_server.h"
#include "broker/admin/group_lag_collector.h"
#include "broker/cluster/shard_set.h"
#include "broker/cluster/sharded.h"
#include "broker/partition/partition_manager.h"
#include "broker/partition/storage_log_store.h"
#include "broker/storage/fake_file_io.h"
#include "broker/storage/log_manager.h"
#include "common/protocol/records/record_batch_builder.h"
#include "common/protocol/writer.h"

namespace broker::admin {
namespace {

using nlohmann::json;
using server::groups::CommittedOffset;
using server::groups::MemberView;

// A consumer-protocol assignment (version 1): topic -> partitions, null user data.
std::vector<uint8_t> assignment(const std::map<std::string, std::vector<int32_t>>& topics) {
    common::protocol::Writer w;
    w.write_int16(1);
    w.write_array_length(static_cast<int32_t>(topics.size()), false);
    for (const auto& [topic, partitions] : topics) {
        w.write_string(topic, false);
        w.write_array_length(static_cast<int32_t>(partitions.size()), false);
        for (int32_t p : partitions) w.write_int32(p);
    }
    w.write_nullable_bytes(std::nullopt, false);
    return w.take();
}

GroupView view(std::string id, std::map<TopicPartition, int64_t> committed) {
    GroupView v;
    v.group_id = std::move(id);
    v.state = "Stable";
    v.protocol_type = "consumer";
    v.protocol = "range";
    v.generation = 4;
    v.members.push_back(MemberView{"m-1", std::nullopt, "client-1", "/127.0.0.1",
                                   assignment({{"orders", {0, 1}}})});
    for (const auto& [tp, offset] : committed) {
        v.offsets[tp] = CommittedOffset{offset, -1, std::string(""), 1, -1};
    }
    return v;
}

// Log end offsets: orders-0 = 10, orders-1 = 3; anything else unknown.
std::optional<int64_t> log_end(const TopicPartition& tp) {
    if (tp.topic != "orders") return std::nullopt;
    if (tp.partition == 0) return 10;
    if (tp.partition == 1) return 3;
    return std::nullopt;
}

TEST(GroupLagTest, LagIsLogEndMinusCommittedAndNeverNegative) {
    auto groups = compute_group_lag(
        {view("b", {{{"orders", 0}, 4}, {{"orders", 1}, 5}, {{"gone", 0}, 2}}), view("a", {})},
        log_end);
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0].view.group_id, "a");  // sorted by id
    const auto& b = groups[1];
    ASSERT_EQ(b.partitions.size(), 3u);
    EXPECT_EQ(b.partitions[0].topic, "gone");
    EXPECT_EQ(b.partitions[0].lag, std::nullopt);  // unknown partition: no lag
    EXPECT_EQ(b.partitions[1].lag, std::optional<int64_t>(6));
    EXPECT_EQ(b.partitions[2].lag, std::optional<int64_t>(0));  // committed past the end
    EXPECT_EQ(b.total_lag(), 6);
}

TEST(GroupLagTest, ConsumerAssignmentIsDecodedAndGarbageIsNot) {
    auto decoded = decode_consumer_assignment(assignment({{"a", {2, 0}}, {"b", {}}}));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->at("a"), (std::vector<int32_t>{2, 0}));
    EXPECT_TRUE(decoded->at("b").empty());
    EXPECT_FALSE(decode_consumer_assignment(std::vector<uint8_t>{0, 1, 0, 0, 0, 9}));
    EXPECT_FALSE(decode_consumer_assignment(std::vector<uint8_t>{}));
}

TEST(GroupLagTest, GroupListJsonHasOneSummaryPerGroup) {
    auto body =
        json::parse(groups_json(compute_group_lag({view("g", {{{"orders", 0}, 4}})}, log_end)))
            .at("groups");
    ASSERT_TRUE(body.is_array());
    ASSERT_EQ(body.size(), 1u);
    EXPECT_EQ(body[0]["group"], "g");
    EXPECT_EQ(body[0]["state"], "Stable");
    EXPECT_EQ(body[0]["protocol_type"], "consumer");
    EXPECT_EQ(body[0]["members"], 1);
    EXPECT_EQ(body[0]["lag"], 6);
}

TEST(GroupLagTest, GroupJsonShowsMembersAssignmentsAndOffsets) {
    auto groups = compute_group_lag({view("g", {{{"orders", 0}, 4}, {{"gone", 1}, 7}})}, log_end);
    auto body = json::parse(group_json(groups[0]));
    ASSERT_EQ(body["members"].size(), 1u);
    const auto& m = body["members"][0];
    EXPECT_EQ(m["client_id"], "client-1");
    EXPECT_EQ(m["client_host"], "/127.0.0.1");
    EXPECT_TRUE(m["group_instance_id"].is_null());
    EXPECT_EQ(m["assignments"], json::parse(R"([{"topic":"orders","partitions":[0,1]}])"));
    ASSERT_EQ(body["offsets"].size(), 2u);
    EXPECT_EQ(body["offsets"][1], json::parse(R"({"topic":"orders","partition":0,
        "committed_offset":4,"log_end_offset":10,"lag":6})"));
    EXPECT_TRUE(body["offsets"][0]["lag"].is_null());
    EXPECT_EQ(body["lag"], 6);
}

TEST(GroupLagTest, MetricsUsePrometheusNamesAndEscapeLabels) {
    auto text = group_metrics_text(
        compute_group_lag({view("we\"ird\\g", {{{"orders", 0}, 4}, {{"gone", 0}, 1}})}, log_end));
    EXPECT_NE(text.find("# TYPE kafka_consumergroup_lag gauge"), std::string::npos);
    EXPECT_NE(
        text.find(R"(kafka_consumergroup_lag{group="we\"ird\\g",topic="orders",partition="0"} 6)"),
        std::string::npos);
    EXPECT_NE(
        text.find(
            R"(kafka_consumergroup_committed_offset{group="we\"ird\\g",topic="gone",partition="0"} 1)"),
        std::string::npos);
    EXPECT_EQ(text.find(R"(kafka_consumergroup_lag{group="we\"ird\\g",topic="gone")"),
              std::string::npos);
    EXPECT_NE(text.find(R"(kafka_consumergroup_members{group="we\"ird\\g"} 1)"), std::string::npos);
    EXPECT_NE(text.find(R"(kafka_consumergroup_lag_sum{group="we\"ird\\g"} 6)"), std::string::npos);
}

TEST(GroupLagTest, AdminServerAnswersKnownGroupsAndA404ForUnknownOnes) {
    std::string error;
    auto config = config::build_config({}, &error).value();
    net::Metrics metrics(1);
    AdminSources sources;
    sources.config = &config;
    sources.metrics = &metrics;
    AdminServer server(std::move(sources));
    EXPECT_EQ(server.group_response("g").first, 404);  // no source: no groups
    server.set_group_source([] {
        return compute_group_lag({view("g", {{{"orders", 0}, 4}})}, log_end);
    });
    auto [status, body] = server.group_response("g");
    EXPECT_EQ(status, 200);
    EXPECT_EQ(json::parse(body)["group"], "g");
    auto [missing, error_body] = server.group_response("nope");
    EXPECT_EQ(missing, 404);
    EXPECT_EQ(json::parse(error_body)["error"], "GroupIdNotFound");
    EXPECT_NE(server.metrics_text().find("kafka_consumergroup_lag_sum{group=\"g\"} 6"),
              std::string::npos);
}

// Real shards and partitions: the collector hops onto each shard for its groups and onto each
// partition's owner for its high watermark.
class GroupLagCollectorTest : public ::testing::Test {
  protected:
    static constexpr cluster::ShardIndex kShards = 2;

    void SetUp() override {
        logs_ = storage::LogManager::open(io_, {"/data"}, storage::LogConfig{}).value();
        for (cluster::ShardIndex s = 0; s < kShards; ++s) {
            partitions_.set(s, std::make_unique<partition::PartitionManager>(
                                   shards_.context(s).get_executor(),
                                   std::make_unique<partition::StorageLogStore>(logs_.get())));
        }
        shards_.start();
    }
    void TearDown() override {
        shards_.stop();
        shards_.join();
    }

    static common::awaitable<void> fill(partition::PartitionManager* pm, std::string topic,
                                        int32_t index, int records) {
        auto p = pm->create(topic, index, {}, {}).value();
        for (int i = 0; i < records; ++i) {
            common::records::RecordBatchBuilder b(common::records::BatchOptions{});
            b.add(std::nullopt, std::string("v"), 1);
            (void)co_await p->produce(b.build().value(), 1);
        }
    }

    void create(const std::string& topic, int32_t index, int records) {
        auto s = cluster::shard_of(topic, index, kShards);
        common::asio::co_spawn(shards_.context(s), fill(&partitions_.on(s), topic, index, records),
                               common::asio::use_future)
            .get();
    }

    storage::FakeFileIo io_;
    std::unique_ptr<storage::LogManager> logs_;
    cluster::ShardSet shards_{kShards};
    cluster::Sharded<partition::PartitionManager> partitions_{kShards};
};

TEST_F(GroupLagCollectorTest, CollectsViewsOnTheirShardsAndHighWatermarksFromTheOwners) {
    create("orders", 0, 10);
    create("orders", 1, 3);
    std::array<std::atomic<cluster::ShardIndex>, kShards> ran_on{};
    GroupLagCollector collector(shards_, partitions_, [&ran_on](cluster::ShardIndex s) {
        ran_on[s] = cluster::this_shard();
        std::vector<GroupView> out;
        if (s == 0) out.push_back(view("on-0", {{{"orders", 0}, 4}}));
        if (s == 1) out.push_back(view("on-1", {{{"orders", 1}, 1}, {{"missing", 0}, 1}}));
        return out;
    });
    auto groups = collector.collect();
    EXPECT_EQ(ran_on[0].load(), 0u);
    EXPECT_EQ(ran_on[1].load(), 1u);
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0].view.group_id, "on-0");
    EXPECT_EQ(groups[0].partitions.at(0).log_end_offset, std::optional<int64_t>(10));
    EXPECT_EQ(groups[0].total_lag(), 6);
    EXPECT_EQ(groups[1].total_lag(), 2);
    EXPECT_EQ(groups[1].partitions.at(0).log_end_offset, std::nullopt);  // "missing"
}

}  // namespace
}  // namespace broker::admin
