#pragma once
// Errors shared by everything in common/: decoding, I/O, configuration.
// Each subsystem declares its own enum the same way: an enum class, a category, make_error_code,
// and the is_error_code_enum specialisation.

#include <string>
#include <system_error>

namespace common {

enum class Errc {
    Ok = 0,
    Truncated,        // input ended before a field was complete
    Malformed,        // input is structurally invalid (bad length, varint overflow, ...)
    TooLarge,         // a length exceeds what is allowed
    Unsupported,      // a version or feature that is not implemented
    CorruptData,      // a checksum mismatch
    InvalidArgument,  // a caller passed something invalid
    NotFound,
    AlreadyExists,
    IoError,
};

const std::error_category& common_category() noexcept;

inline std::error_code make_error_code(Errc e) noexcept {
    return {static_cast<int>(e), common_category()};
}

}  // namespace common

template <>
struct std::is_error_code_enum<common::Errc> : std::true_type {};
