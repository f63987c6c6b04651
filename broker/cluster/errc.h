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
    NotController,         // this node does not lead the controller quorum
    RequestTimedOut,       // a forwarded topic command got no answer in time
    ControllerFailed,      // the controller failed without a Kafka error of its own
};

const std::error_category& cluster_category() noexcept;

inline std::error_code make_error_code(Errc e) noexcept {
    return {static_cast<int>(e), cluster_category()};
}

}  // namespace broker::cluster

template <>
struct std::is_error_code_enum<broker::cluster::Errc> : std::true_type {};
