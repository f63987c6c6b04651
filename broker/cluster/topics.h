#pragma once
// Topics: the narrow interface handlers use to read and change topics. The single-node
// implementation is TopicController (topic_controller.h); tests use a fake. The Raft controller
// replaces the implementation later without changing this interface.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <utility>  // before awaitable.hpp: Boost 1.74 needs it under g++ 12

#include <boost/asio/awaitable.hpp>

#include "broker/cluster/topic_info.h"

namespace broker::cluster {

// The outcome of one topic operation: error (default = success) plus a human-readable message
// for the response's error_message field (empty = none).
struct TopicOpStatus {
    std::error_code error;
    std::string message;
    explicit operator bool() const { return !error; }
};

struct CreateTopicArgs {
    std::string name;
    std::optional<int32_t> partitions;          // nullopt: broker's num.partitions
    std::optional<int16_t> replication_factor;  // nullopt: default.replication.factor
    TopicConfigMap configs;
    bool validate_only = false;
    // Set only by the broker itself for its internal topics (__consumer_offsets), which clients
    // may not create.
    bool internal = false;
    // How long the change may take (clustered: reaching the active controller and applying it
    // here; the request's timeout_ms). Zero or less: the implementation's default.
    std::chrono::milliseconds timeout{0};
};

// One change of IncrementalAlterConfigs (AlterConfigs is expressed as a full replacement).
struct ConfigChange {
    enum class Op { Set, Delete, Append, Subtract };
    std::string name;
    Op op = Op::Set;
    std::optional<std::string> value;
};

// Lives as long as the broker; callable from any shard (implementations hop to the controller
// shard internally). snapshot() is the calling shard's current view.
class Topics {
  public:
    virtual ~Topics() = default;

    virtual std::shared_ptr<const TopicSnapshot> snapshot() = 0;

    // Creates a topic and its partitions; on success `created` (if non-null) is the new topic.
    virtual boost::asio::awaitable<TopicOpStatus> create_topic(CreateTopicArgs args,
                                                               TopicInfo* created) = 0;
    virtual boost::asio::awaitable<TopicOpStatus> delete_topic(std::string name) = 0;
    // Grows the topic to `total_count` partitions (never shrinks).
    virtual boost::asio::awaitable<TopicOpStatus> create_partitions(std::string name,
                                                                    int32_t total_count,
                                                                    bool validate_only) = 0;
    // Replaces the topic's overrides by `configs` (AlterConfigs semantics).
    virtual boost::asio::awaitable<TopicOpStatus> replace_configs(std::string name,
                                                                  TopicConfigMap configs,
                                                                  bool validate_only) = 0;
    // Applies incremental changes (IncrementalAlterConfigs semantics).
    virtual boost::asio::awaitable<TopicOpStatus> alter_configs(std::string name,
                                                                std::vector<ConfigChange> changes,
                                                                bool validate_only) = 0;
};

}  // namespace broker::cluster
