#include "broker/config/broker_config.h"

#include <gtest/gtest.h>

#include "broker/config/listener.h"

namespace broker::config {
namespace {

common::Result<BrokerConfig> from(const Properties& props, std::string* error = nullptr) {
    std::string ignored;
    return build_config(props, error ? error : &ignored);
}

TEST(BrokerConfigTest, DefaultsMatchKafka) {
    auto config = from({});
    ASSERT_TRUE(config);
    const BrokerConfig& c = config.value();
    EXPECT_EQ(c.node_id, 1);
    ASSERT_EQ(c.listeners.size(), 1u);
    EXPECT_EQ(c.listeners[0], (Listener{"PLAINTEXT", "127.0.0.1", 9092}));
    EXPECT_EQ(c.advertised().port, 9092);
    EXPECT_EQ(c.log_dir, "./data");
    EXPECT_EQ(c.num_partitions, 1);
    EXPECT_EQ(c.default_replication_factor, 1);
    EXPECT_TRUE(c.auto_create_topics_enable);
    EXPECT_EQ(c.log_segment_bytes, 1073741824);
    EXPECT_EQ(c.log_retention_ms, 168LL * 3600 * 1000);
    EXPECT_EQ(c.log_roll_ms, 168LL * 3600 * 1000);
    EXPECT_EQ(c.log_retention_bytes, -1);
    EXPECT_EQ(c.message_max_bytes, 1048588);
    EXPECT_EQ(c.socket_request_max_bytes, 100 * 1024 * 1024);
    EXPECT_GE(c.shards, 1);
    EXPECT_FALSE(c.admin_listener.has_value());
}

TEST(BrokerConfigTest, RetentionMsOverridesHoursAndMinutes) {
    auto config =
        from({{"log.retention.hours", "1"}, {"log.retention.ms", "5000"}, {"log.roll.hours", "2"}});
    ASSERT_TRUE(config);
    EXPECT_EQ(config.value().log_retention_ms, 5000);
    EXPECT_EQ(config.value().log_roll_ms, 2 * 3600 * 1000);
    EXPECT_EQ(from({{"log.retention.minutes", "3"}}).value().log_retention_ms, 180000);
    EXPECT_EQ(from({{"log.retention.ms", "-1"}}).value().log_retention_ms, -1);
}

TEST(BrokerConfigTest, ParsesListenersAdminListenerAndShards) {
    auto config = from({{"listeners", "PLAINTEXT://127.0.0.2:0"},
                        {"advertised.listeners", "PLAINTEXT://broker-0.local:19092"},
                        {"admin.listeners", "http://127.0.0.1:9644"},
                        {"tributary.shards", "3"},
                        {"log.dirs", "/tmp/x"}});
    ASSERT_TRUE(config);
    EXPECT_EQ(config.value().listeners[0], (Listener{"PLAINTEXT", "127.0.0.2", 0}));
    EXPECT_EQ(config.value().advertised().host, "broker-0.local");
    EXPECT_EQ(config.value().advertised().port, 19092);
    ASSERT_TRUE(config.value().admin_listener);
    EXPECT_EQ(config.value().admin_listener->port, 9644);
    EXPECT_EQ(config.value().shards, 3);
    EXPECT_EQ(config.value().log_dir, "/tmp/x");
}

TEST(BrokerConfigTest, EachBadKeyGetsOneLineNamingIt) {
    std::string error;
    auto config = from({{"num.partitions", "zero"},
                        {"auto.create.topics.enable", "maybe"},
                        {"listeners", "127.0.0.1:9092"},
                        {"log.segment.bytes", "10"}},
                       &error);
    ASSERT_FALSE(config);
    EXPECT_NE(error.find("num.partitions: expected an integer"), std::string::npos) << error;
    EXPECT_NE(error.find("auto.create.topics.enable: expected true or false"), std::string::npos);
    EXPECT_NE(error.find("listeners: bad listener '127.0.0.1:9092'"), std::string::npos);
    EXPECT_NE(error.find("log.segment.bytes:"), std::string::npos);
    EXPECT_EQ(std::count(error.begin(), error.end(), '\n'), 3);
}

TEST(BrokerConfigTest, PartitionSnapshotIntervalDefaultsAndRejectsNegatives) {
    EXPECT_EQ(from({}).value().partition_snapshot_interval_entries, 10000);
    EXPECT_EQ(from({{"tributary.partition.snapshot.interval.entries", "0"}})
                  .value()
                  .partition_snapshot_interval_entries,
              0);
    std::string error;
    EXPECT_FALSE(from({{"tributary.partition.snapshot.interval.entries", "-1"}}, &error));
    EXPECT_NE(error.find("tributary.partition.snapshot.interval.entries:"), std::string::npos);
}

TEST(BrokerConfigTest, PreferredLeaderAndIsrSettingsDefaultAndRefuseBadValues) {
    const auto defaults = from({}).value();
    EXPECT_TRUE(defaults.auto_leader_rebalance_enable);
    EXPECT_EQ(defaults.leader_imbalance_check_interval_seconds, 300);
    EXPECT_EQ(defaults.replica_lag_time_max_ms, 10000);
    const auto set = from({{"auto.leader.rebalance.enable", "false"},
                           {"leader.imbalance.check.interval.seconds", "1"},
                           {"replica.lag.time.max.ms", "30000"}})
                         .value();
    EXPECT_FALSE(set.auto_leader_rebalance_enable);
    EXPECT_EQ(set.leader_imbalance_check_interval_seconds, 1);
    EXPECT_EQ(set.replica_lag_time_max_ms, 30000);
    for (const auto& [key, bad] : std::vector<std::pair<std::string, std::string>>{
             {"auto.leader.rebalance.enable", "maybe"},
             {"leader.imbalance.check.interval.seconds", "0"},
             {"replica.lag.time.max.ms", "-5"}}) {
        std::string error;
        EXPECT_FALSE(from({{key, bad}}, &error)) << key;
        EXPECT_NE(error.find(key + ":"), std::string::npos) << error;
    }
}

TEST(BrokerConfigTest, ClusterIdIsOptionalAndMustHaveKafkasForm) {
    EXPECT_FALSE(from({}).value().cluster_id.has_value());
    EXPECT_EQ(from({{"cluster.id", "D4-tW9nLRp-hZXCGdyiVDg"}}).value().cluster_id,
              "D4-tW9nLRp-hZXCGdyiVDg");
    for (const char* bad : {"my-cluster", "D4-tW9nLRp-hZXCGdyiVD", "D4-tW9nLRp-hZXCGdyiVDh",
                            "D4+tW9nLRp/hZXCGdyiVDg", "D4-tW9nLRp-hZXCGdyiVDg=="}) {
        std::string error;
        EXPECT_FALSE(from({{"cluster.id", bad}}, &error)) << bad;
        EXPECT_NE(error.find("cluster.id: expected a cluster id"), std::string::npos) << error;
        EXPECT_NE(error.find(bad), std::string::npos) << error;
    }
}

TEST(BrokerConfigTest, UnknownKeysAreIgnored) {
    EXPECT_TRUE(from({{"zookeeper.connect", "localhost:2181"}}));
}

TEST(BrokerConfigTest, EntriesRecordSourceOfEachValue) {
    auto config = from({{"num.partitions", "4"}});
    ASSERT_TRUE(config);
    bool saw_partitions = false, saw_segment = false;
    for (const auto& e : config.value().entries) {
        if (e.name == "num.partitions") {
            saw_partitions = true;
            EXPECT_EQ(e.value, "4");
            EXPECT_EQ(e.source, Source::StaticFile);
        }
        if (e.name == "log.segment.bytes") {
            saw_segment = true;
            EXPECT_EQ(e.source, Source::Default);
        }
    }
    EXPECT_TRUE(saw_partitions && saw_segment);
}

TEST(PropertiesTest, ParsesJavaPropertiesSyntax) {
    std::string error;
    auto props = parse_properties(
        "# comment\n! also comment\n\nnode.id = 7\nlog.dirs: /var/lib/x\n"
        "listeners=PLAINTEXT://127.0.0.1:9092,\\\n    OTHER://127.0.0.1:9093\r\n",
        &error);
    ASSERT_TRUE(props) << error;
    EXPECT_EQ(props.value().at("node.id"), "7");
    EXPECT_EQ(props.value().at("log.dirs"), "/var/lib/x");
    EXPECT_EQ(props.value().at("listeners"), "PLAINTEXT://127.0.0.1:9092,OTHER://127.0.0.1:9093");
}

TEST(LoadConfigTest, SetOverridesTheFileAndBadArgumentsFail) {
    const char* argv[] = {"tributary-broker", "--set", "node.id=5", "--set", "num.partitions=3"};
    std::string error;
    auto config = load_config(5, argv, &error);
    ASSERT_TRUE(config) << error;
    EXPECT_EQ(config.value().node_id, 5);
    EXPECT_EQ(config.value().num_partitions, 3);

    const char* bad[] = {"tributary-broker", "--bogus"};
    EXPECT_FALSE(load_config(2, bad, &error));
    EXPECT_NE(error.find("--bogus"), std::string::npos);
    const char* missing[] = {"tributary-broker", "--config", "/nonexistent/file.properties"};
    EXPECT_FALSE(load_config(3, missing, &error));
    EXPECT_NE(error.find("cannot read"), std::string::npos);
}

TEST(ListenerTest, RejectsBadPortsAndDuplicates) {
    std::string error;
    EXPECT_FALSE(parse_listeners("PLAINTEXT://h:99999", &error));
    EXPECT_FALSE(parse_listeners("A://h:1,A://h:2", &error));
    auto ipv6 = parse_listeners("PLAINTEXT://[::1]:9092", &error);
    ASSERT_TRUE(ipv6);
    EXPECT_EQ(ipv6.value()[0].host, "::1");
}

}  // namespace
}  // namespace broker::config
