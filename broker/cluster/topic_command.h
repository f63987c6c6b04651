#pragma once
// TopicCommand: a topic change (CreateTopics, DeleteTopics, CreatePartitions, AlterConfigs,
// IncrementalAlterConfigs, auto-creation) as a value, so a broker that does not lead the
// controller quorum can forward it to the one that does (topic_forwarder.h) in a control frame
// on the Raft transport (raft/control_frame.h). The leader turns it into the same controller
// command a local request runs (to_controller_command) and answers a TopicCommandResult.
//
// Body encoding, version 0, big-endian, Kafka's non-flexible primitives:
//
//   request:  int16 type (3) | int16 version (0) | int8 op | string name |
//             int32 partitions (-1 = broker default) | int16 replication_factor (-1 = default) |
//             int32 total_count | configs | int32 count x (string name | int8 op |
//             nullable string value) | bool validate_only
//   response: int16 type (4) | int16 version (0) | int16 error (cluster::Errc, 0 = none) |
//             string message | int64 applied_index | bool has_topic
//             [uuid id | string name | int32 partitions | int16 replication_factor | configs]
//
//   configs:  int32 count x (string key | string value)
//
// Decoding checks every bound (counts against the bytes left), refuses unknown types, ops and
// errors, trailing bytes (Malformed) and newer versions (Unsupported).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "broker/cluster/control_body.h"
#include "broker/cluster/controller_quorum.h"
#include "broker/cluster/topics.h"
#include "common/result.h"

namespace broker::config {
struct BrokerConfig;
}

namespace broker::cluster {

enum class TopicOp : int8_t {
    CreateTopic = 0,
    DeleteTopic = 1,
    CreatePartitions = 2,
    ReplaceConfigs = 3,  // AlterConfigs: the overrides become `configs`
    AlterConfigs = 4,    // IncrementalAlterConfigs: `changes`
};

// A plain value. Fields an op does not use stay at their defaults.
struct TopicCommand {
    TopicOp op = TopicOp::CreateTopic;
    std::string name;
    std::optional<int32_t> partitions;          // CreateTopic
    std::optional<int16_t> replication_factor;  // CreateTopic
    int32_t total_count = 0;                    // CreatePartitions
    TopicConfigMap configs;                     // CreateTopic, ReplaceConfigs
    std::vector<ConfigChange> changes;          // AlterConfigs
    bool validate_only = false;
    bool operator==(const TopicCommand& other) const;
};

struct TopicCommandResult {
    std::error_code error;  // a cluster::Errc, none on success
    std::string message;
    // The leader's applied metadata log index when it answered: the forwarding broker answers
    // its client once its own cache has applied this far.
    int64_t applied_index = 0;
    std::optional<TopicInfo> topic;  // CreateTopic (not validate_only): the created topic
    bool operator==(const TopicCommandResult&) const = default;
};

TopicCommand create_topic_command(CreateTopicArgs args);

// The controller command a leader runs for `command` (list config defaults from `broker`, which
// outlives the command).
ControllerQuorum::Command to_controller_command(TopicCommand command,
                                                const config::BrokerConfig& broker);

// The answer for `command` once the quorum reported `result` here: the cache's applied index
// and, for a created topic, the topic as the cache has it.
TopicCommandResult to_topic_command_result(const ControllerResult& result,
                                           const TopicCommand& command, const MetadataCache& cache);

std::vector<uint8_t> encode_topic_command(const TopicCommand& command);
[[nodiscard]] common::Result<TopicCommand> decode_topic_command(std::span<const uint8_t> bytes);
std::vector<uint8_t> encode_topic_command_result(const TopicCommandResult& result);
[[nodiscard]] common::Result<TopicCommandResult> decode_topic_command_result(
    std::span<const uint8_t> bytes);

}  // namespace broker::cluster
