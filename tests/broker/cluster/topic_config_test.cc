#include "broker/cluster/topic_config.h"

#include <gtest/gtest.h>

namespace broker::cluster {
namespace {

config::BrokerConfig broker_with(const config::Properties& props) {
    std::string error;
    return config::build_config(props, &error).value();
}

const ResolvedConfig& find(const std::vector<ResolvedConfig>& all, const std::string& name) {
    for (const auto& r : all) {
        if (r.name == name) return r;
    }
    throw std::runtime_error("missing " + name);
}

TEST(TopicConfigTest, ValidatesNamesAndValues) {
    EXPECT_EQ(validate_topic_configs({{"retention.ms", "1000"}, {"cleanup.policy", "compact"}}),
              "");
    EXPECT_NE(validate_topic_configs({{"no.such.config", "1"}}).find("Unknown topic config"),
              std::string::npos);
    EXPECT_NE(validate_topic_configs({{"retention.ms", "soon"}}), "");
    EXPECT_NE(validate_topic_configs({{"segment.bytes", "10"}}), "");
    EXPECT_NE(validate_topic_configs({{"cleanup.policy", "keep"}}), "");
    EXPECT_EQ(validate_topic_configs({{"cleanup.policy", "compact,delete"}}), "");
    EXPECT_NE(validate_topic_configs({{"compression.type", "brotli"}}), "");
    EXPECT_NE(validate_topic_configs({{"min.cleanable.dirty.ratio", "1.5"}}), "");
}

TEST(TopicConfigTest, ResolvesTopicThenStaticBrokerThenDefault) {
    auto broker = broker_with({{"log.retention.hours", "1"}});
    auto all = resolve_topic_configs({{"segment.bytes", "1048576"}}, broker);
    EXPECT_EQ(find(all, "segment.bytes").value, "1048576");
    EXPECT_EQ(find(all, "segment.bytes").source, ConfigSource::Topic);
    EXPECT_EQ(find(all, "retention.ms").value, "3600000");
    EXPECT_EQ(find(all, "retention.ms").source, ConfigSource::StaticBroker);
    EXPECT_EQ(find(all, "retention.ms").broker_name, "log.retention.ms");
    EXPECT_EQ(find(all, "max.message.bytes").value, "1048588");
    EXPECT_EQ(find(all, "max.message.bytes").source, ConfigSource::Default);
}

TEST(TopicConfigTest, LogConfigCarriesTheCleanupPolicyAndCompactionSettings) {
    auto broker = broker_with({});
    auto plain = log_config_for({}, broker);
    EXPECT_TRUE(plain.cleanup_delete);
    EXPECT_FALSE(plain.cleanup_compact);
    EXPECT_EQ(plain.delete_retention_ms, 86400000);
    auto compacted = log_config_for({{"cleanup.policy", "compact"},
                                     {"delete.retention.ms", "5"},
                                     {"min.compaction.lag.ms", "7"},
                                     {"min.cleanable.dirty.ratio", "0.25"}},
                                    broker);
    EXPECT_FALSE(compacted.cleanup_delete);
    EXPECT_TRUE(compacted.cleanup_compact);
    EXPECT_EQ(compacted.delete_retention_ms, 5);
    EXPECT_EQ(compacted.min_compaction_lag_ms, 7);
    EXPECT_DOUBLE_EQ(compacted.min_cleanable_dirty_ratio, 0.25);
    auto both = log_config_for({{"cleanup.policy", "compact,delete"}}, broker);
    EXPECT_TRUE(both.cleanup_delete);
    EXPECT_TRUE(both.cleanup_compact);
}

TEST(TopicConfigTest, LogConfigMergesOverridesOverBrokerDefaults) {
    auto broker = broker_with({{"log.segment.bytes", "2000000"}});
    auto c = log_config_for({{"retention.bytes", "5000"}}, broker);
    EXPECT_EQ(c.segment_bytes, 2000000);
    EXPECT_EQ(c.retention_bytes, 5000);
    EXPECT_EQ(c.retention_ms, 604800000);
    EXPECT_EQ(partition_settings_for({{"max.message.bytes", "777"}}, broker).max_message_bytes,
              777);
}

TEST(TopicConfigTest, TopicTimestampTypeOverridesTheBrokerDefault) {
    using common::records::TimestampType;
    auto create_time = broker_with({});
    EXPECT_EQ(partition_settings_for({}, create_time).timestamp_type, TimestampType::CreateTime);
    EXPECT_EQ(partition_settings_for({{"message.timestamp.type", "LogAppendTime"}}, create_time)
                  .timestamp_type,
              TimestampType::LogAppendTime);
    auto append_time = broker_with({{"log.message.timestamp.type", "LogAppendTime"}});
    EXPECT_EQ(partition_settings_for({}, append_time).timestamp_type, TimestampType::LogAppendTime);
    EXPECT_EQ(partition_settings_for({{"message.timestamp.type", "CreateTime"}}, append_time)
                  .timestamp_type,
              TimestampType::CreateTime);
}

}  // namespace
}  // namespace broker::cluster
