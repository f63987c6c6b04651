#pragma once
// The controller log's records: every change to cluster metadata (cluster id, brokers, topics,
// partitions, configs) is one of these, proposed by the controller, committed through Raft and
// applied by every MetadataState. Binary encoding (common/protocol's reader/writer): int16 type,
// int16 version, then the fields; a batch (one Raft entry) is int32 count + length-prefixed
// records. Decoding is bounds-checked and refuses trailing bytes, unknown types and newer versions.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "common/protocol/types.h"
#include "common/result.h"

namespace broker::cluster {

using Uuid = common::protocol::Uuid;

// One listener a broker registered: clients on `name` connect to host:port.
struct BrokerEndpoint {
    std::string name;
    std::string host;
    uint16_t port = 0;
    std::string security_protocol;
    bool operator==(const BrokerEndpoint&) const = default;
};

enum class RecordType : int16_t {
    RegisterBroker = 1,
    UnregisterBroker = 2,
    BrokerFencing = 3,
    Topic = 4,
    Partition = 5,
    PartitionChange = 6,
    Config = 7,
    RemoveTopic = 8,
    ClusterId = 9,
};

// A broker (re)registers: a new epoch per registration; it starts fenced.
struct RegisterBrokerRecord {
    int32_t broker_id = 0;
    Uuid incarnation_id{};  // new per process start
    int64_t broker_epoch = 0;
    std::optional<std::string> rack;
    std::vector<BrokerEndpoint> endpoints;
    bool fenced = true;
    bool operator==(const RegisterBrokerRecord&) const = default;
};

struct UnregisterBrokerRecord {
    int32_t broker_id = 0;
    int64_t broker_epoch = 0;
    bool operator==(const UnregisterBrokerRecord&) const = default;
};

// Fences (no leadership, not in sync) or unfences a registered broker of the given epoch.
struct BrokerFencingRecord {
    int32_t broker_id = 0;
    int64_t broker_epoch = 0;
    bool fenced = true;
    bool operator==(const BrokerFencingRecord&) const = default;
};

struct TopicRecord {
    std::string name;
    Uuid topic_id{};
    bool operator==(const TopicRecord&) const = default;
};

// A new partition (the next index of its topic) with its full state.
struct PartitionRecord {
    Uuid topic_id{};
    int32_t partition = 0;
    std::vector<int32_t> replicas;
    std::vector<int32_t> isr;
    int32_t leader = -1;  // -1: no leader
    int32_t leader_epoch = 0;
    int32_t partition_epoch = 0;
    bool operator==(const PartitionRecord&) const = default;
};

// A change to an existing partition; absent fields stay. Without a leader epoch a new leader
// bumps the leader epoch; with one (version 1: leaders reported from Raft, where the epoch is
// the group's term) the epoch is set to it and must not go back, and at an equal epoch the
// leader may only go to or come from -1. Every change bumps the partition epoch.
struct PartitionChangeRecord {
    Uuid topic_id{};
    int32_t partition = 0;
    std::optional<int32_t> leader;
    std::optional<std::vector<int32_t>> isr;
    std::optional<std::vector<int32_t>> replicas;
    std::optional<int32_t> leader_epoch;
    bool operator==(const PartitionChangeRecord&) const = default;
};

// Kafka's resource type codes.
enum class ConfigResourceType : int8_t { Topic = 2, Broker = 4 };

// Sets (value) or deletes (no value) one config of a topic or broker ("" = cluster default).
struct ConfigRecord {
    ConfigResourceType resource_type = ConfigResourceType::Topic;
    std::string resource_name;
    std::string name;
    std::optional<std::string> value;
    bool operator==(const ConfigRecord&) const = default;
};

struct RemoveTopicRecord {
    Uuid topic_id{};
    bool operator==(const RemoveTopicRecord&) const = default;
};

// The cluster's id (Kafka's form, common/cluster_id.h), committed once by the first controller
// leader; every broker serves it and checks its data directory against it.
struct ClusterIdRecord {
    std::string cluster_id;
    bool operator==(const ClusterIdRecord&) const = default;
};

// In RecordType order (type_of relies on it).
using MetadataRecord =
    std::variant<RegisterBrokerRecord, UnregisterBrokerRecord, BrokerFencingRecord, TopicRecord,
                 PartitionRecord, PartitionChangeRecord, ConfigRecord, RemoveTopicRecord,
                 ClusterIdRecord>;

RecordType type_of(const MetadataRecord& record);
const char* record_type_name(RecordType type);

common::protocol::Bytes encode_record(const MetadataRecord& record);
// Malformed / Truncated for bad bytes, Unsupported for an unknown type or a newer version.
common::Result<MetadataRecord> decode_record(std::span<const uint8_t> bytes);

// One Raft entry's payload: the records of one controller command, applied in order.
common::protocol::Bytes encode_batch(const std::vector<MetadataRecord>& records);
common::Result<std::vector<MetadataRecord>> decode_batch(std::span<const uint8_t> bytes);

}  // namespace broker::cluster
