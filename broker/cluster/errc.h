#pragma once
// Errors of the cluster layer (topic table, topic configs). server/error_mapping.h maps each to
// exactly one Kafka error code.

#include <system_error>

namespace broker::cluster {

enum class Errc {
    Ok = 0,
    TopicAlreadyExists,
    UnknownTopic,
    InvalidTopicName,
    InvalidPartitions,
    InvalidReplicationFactor,
    InvalidConfig,
    PersistFailed,         // the topic table could not be written to disk
    PartitionSetupFailed,  // the partition manager could not create or remove a partition
    NotController,         // reserved for the Raft controller
};

const std::error_category& cluster_category() noexcept;

inline std::error_code make_error_code(Errc e) noexcept {
    return {static_cast<int>(e), cluster_category()};
}

}  // namespace broker::cluster

template <>
struct std::is_error_code_enum<broker::cluster::Errc> : std::true_type {};
