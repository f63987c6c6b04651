#pragma once
// The table of APIs that have message definitions (generated from messages/*.def): their
// version ranges and first flexible version. Immutable static data, safe from any thread.

#include <cstdint>
#include <span>

#include "common/protocol/api_key.h"

namespace common::protocol {

struct ApiInfo {
    ApiKey key;
    int16_t min_version;
    int16_t max_version;
    int16_t first_flexible_version;  // -1 when no version is flexible
};

// Every defined API, ordered by key.
std::span<const ApiInfo> defined_apis();

// The API's entry, or nullptr when the project has no definition for it.
const ApiInfo* find_api(ApiKey key);

// Whether (key, version) uses the flexible encoding: the API is defined and the version is at or
// above its first flexible version (open-ended, so versions newer than ours count too).
bool is_flexible_version(ApiKey key, int16_t version);

}  // namespace common::protocol
