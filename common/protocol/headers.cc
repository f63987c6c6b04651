#include "common/protocol/headers.h"

#include "common/protocol/api_table.h"

namespace common::protocol {

int16_t request_header_version(ApiKey key, int16_t api_version) {
    if (key == ApiKey::ControlledShutdown && api_version == 0) {
        return 0;
    }
    return is_flexible_version(key, api_version) ? 2 : 1;
}

int16_t response_header_version(ApiKey key, int16_t api_version) {
    if (key == ApiKey::ApiVersions) {
        return 0;
    }
    return is_flexible_version(key, api_version) ? 1 : 0;
}

Result<RequestHeader> read_request_header(Reader& r) {
    RequestHeader h;
    TRIBUTARY_TRY(key, r.read_int16());
    TRIBUTARY_TRY(version, r.read_int16());
    TRIBUTARY_TRY(correlation_id, r.read_int32());
    h.api_key = static_cast<ApiKey>(key);
    h.api_version = version;
    h.correlation_id = correlation_id;
    const int16_t header_version = request_header_version(h.api_key, version);
    if (header_version >= 1) {
        // The client id keeps the int16 length even in flexible headers.
        TRIBUTARY_TRY(client_id, r.read_nullable_string(false));
        h.client_id = std::move(client_id);
    }
    if (header_version >= 2) {
        TRIBUTARY_TRY(r.skip_tagged_fields());
    }
    return h;
}

void write_request_header(Writer& w, const RequestHeader& h) {
    const int16_t header_version = request_header_version(h.api_key, h.api_version);
    w.write_int16(static_cast<int16_t>(h.api_key));
    w.write_int16(h.api_version);
    w.write_int32(h.correlation_id);
    if (header_version >= 1) {
        w.write_nullable_string(h.client_id, false);
    }
    if (header_version >= 2) {
        w.write_uvarint(0);
    }
}

Result<int32_t> read_response_header(Reader& r, int16_t header_version) {
    TRIBUTARY_TRY(correlation_id, r.read_int32());
    if (header_version >= 1) {
        TRIBUTARY_TRY(r.skip_tagged_fields());
    }
    return correlation_id;
}

void write_response_header(Writer& w, int32_t correlation_id, int16_t header_version) {
    w.write_int32(correlation_id);
    if (header_version >= 1) {
        w.write_uvarint(0);
    }
}

}  // namespace common::protocol
