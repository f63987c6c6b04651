#pragma once
// What the cluster knows about one topic, and an immutable snapshot of all topics.

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace broker::cluster {

// 16 bytes, the same layout as common::protocol::Uuid.
using TopicId = std::array<uint8_t, 16>;

// Topic-level config overrides only (key -> value, Kafka's topic config names); a key absent here
// falls back to the broker default (see topic_config.h).
using TopicConfigMap = std::map<std::string, std::string>;

// The internal topic that holds consumer group metadata and committed offsets. Created by the
// broker at start; clients can read it but neither produce to it nor delete it.
inline constexpr std::string_view kConsumerOffsetsTopic = "__consumer_offsets";

// Whether Metadata reports the topic as internal (is_internal).
inline bool is_internal_topic(std::string_view name) {
    return name == kConsumerOffsetsTopic;
}

// A plain value; copied freely.
struct TopicInfo {
    std::string name;
    TopicId id{};
    int32_t partition_count = 0;
    int16_t replication_factor = 1;
    TopicConfigMap configs;

    bool operator==(const TopicInfo&) const = default;
};

// Immutable view of every topic at one point in time. Shared read-only between shards through
// std::shared_ptr<const TopicSnapshot>; a change publishes a new snapshot.
class TopicSnapshot {
  public:
    TopicSnapshot() = default;
    explicit TopicSnapshot(std::map<std::string, TopicInfo, std::less<>> topics)
        : topics_(std::move(topics)) {}

    const TopicInfo* find(std::string_view name) const {
        auto it = topics_.find(name);
        return it == topics_.end() ? nullptr : &it->second;
    }
    const TopicInfo* find(const TopicId& id) const {
        for (const auto& [name, info] : topics_) {
            if (info.id == id) return &info;
        }
        return nullptr;
    }
    const std::map<std::string, TopicInfo, std::less<>>& topics() const { return topics_; }

  private:
    std::map<std::string, TopicInfo, std::less<>> topics_;
};

}  // namespace broker::cluster
