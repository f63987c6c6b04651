#pragma once
// Kafka request headers (v0-v2) and response headers (v0-v1).

#include <cstdint>
#include <optional>
#include <string>

#include "common/protocol/api_key.h"
#include "common/protocol/reader.h"
#include "common/protocol/writer.h"
#include "common/result.h"

namespace common::protocol {

struct RequestHeader {
    ApiKey api_key{};
    int16_t api_version = 0;
    int32_t correlation_id = 0;
    std::optional<std::string> client_id;

    bool operator==(const RequestHeader&) const = default;
};

// 2 for flexible API versions, 1 otherwise, 0 for ControlledShutdown v0.
int16_t request_header_version(ApiKey key, int16_t api_version);

// 1 for flexible API versions, 0 otherwise; ApiVersions responses always use 0.
int16_t response_header_version(ApiKey key, int16_t api_version);

// Reads key and version first, then the rest of the header in the version they imply. A header's
// tag buffer is read only for API versions known to be flexible; an unknown key comes back
// as its raw value with a v1 header read, so the caller can answer or close the connection.
[[nodiscard]] Result<RequestHeader> read_request_header(Reader& r);
void write_request_header(Writer& w, const RequestHeader& h);

// Reads a response header of the given version; returns the correlation id.
[[nodiscard]] Result<int32_t> read_response_header(Reader& r, int16_t header_version);
void write_response_header(Writer& w, int32_t correlation_id, int16_t header_version);

}  // namespace common::protocol
