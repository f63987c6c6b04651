#pragma once
// Errors of the partition layer (broker::partition). The Kafka error code for each is chosen in
// one place: error_mapping.h.

#include <system_error>

namespace broker::partition {

enum class Errc {
    Ok = 0,
    CorruptMessage,            // CRC mismatch, bad lengths, torn batch
    UnsupportedMessageFormat,  // magic other than 2
    MessageTooLarge,           // batch larger than max.message.bytes
    InvalidRecord,             // well-formed but not acceptable (control batch, several batches)
    OutOfOrderSequence,        // idempotence: sequence gap or bad first sequence
    InvalidProducerEpoch,      // idempotence: epoch older than the one we know
    UnknownProducerId,         // idempotence: producer unknown and sequence != 0
    TransactionsUnsupported,   // transactional batches: no transaction coordinator yet
    OffsetOutOfRange,          // fetch/list offsets outside [log start, log end]
    UnknownTopicOrPartition,   // no such partition on this broker
    UnknownLeaderEpoch,        // the client's leader epoch is newer than ours
    FencedLeaderEpoch,         // the client's leader epoch is older than ours
    StorageError,              // the log failed (disk)
    Shutdown,                  // the partition is closing
    NotLeaderOrFollower,       // replicated: this replica does not lead the partition
    NotEnoughReplicas,         // replicated: fewer in-sync replicas than min.insync.replicas
};

const std::error_category& partition_category() noexcept;

inline std::error_code make_error_code(Errc e) noexcept {
    return {static_cast<int>(e), partition_category()};
}

}  // namespace broker::partition

template <>
struct std::is_error_code_enum<broker::partition::Errc> : std::true_type {};
