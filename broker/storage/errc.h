#pragma once
// Errors of the storage engine (broker::storage). The partition layer maps them to Kafka error
// codes in one place: OffsetOutOfRange -> OFFSET_OUT_OF_RANGE, LogOffline -> KAFKA_STORAGE_ERROR,
// InvalidOffset -> INVALID_REQUEST (a replicated append that does not continue the log).
// Batch validation failures keep the codes of common/protocol/records.

#include <system_error>

namespace broker::storage {

enum class Errc {
    Ok = 0,
    OffsetOutOfRange,  // a read or truncation outside [log start offset, log end offset]
    InvalidOffset,     // offsets given by the caller do not continue the log
    LogOffline,        // an earlier I/O failure left the log unusable until it is reopened
    NotFound,          // no such partition log
    AlreadyExists,     // the partition log exists already
    InvalidConfig,     // a per-log setting is out of range
};

const std::error_category& storage_category() noexcept;

inline std::error_code make_error_code(Errc e) noexcept {
    return {static_cast<int>(e), storage_category()};
}

}  // namespace broker::storage

template <>
struct std::is_error_code_enum<broker::storage::Errc> : std::true_type {};
