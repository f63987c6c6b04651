#include "common/protocol/records/record.h"

#include "common/errc.h"
#include "common/protocol/records/varint.h"

namespace common::records {
namespace {

// A varint length followed by that many bytes; -1 is null when `nullable`.
Result<std::optional<ByteView>> get_sized(std::span<const uint8_t> body, size_t& pos,
                                          bool nullable) {
    TRIBUTARY_TRY(size, get_varint(body, pos));
    if (size == -1 && nullable) {
        return std::optional<ByteView>{};
    }
    if (size < 0) {
        return Errc::Malformed;
    }
    if (static_cast<size_t>(size) > body.size() - pos) {
        return Errc::Truncated;
    }
    auto view = body.subspan(pos, static_cast<size_t>(size));
    pos += static_cast<size_t>(size);
    return std::optional<ByteView>{view};
}

Result<std::vector<RecordHeaderView>> get_headers(std::span<const uint8_t> body, size_t& pos) {
    TRIBUTARY_TRY(count, get_varint(body, pos));
    // Each header takes at least two bytes: refuse counts the body cannot hold before allocating.
    if (count < 0 || static_cast<size_t>(count) > (body.size() - pos) / 2) {
        return count < 0 ? Errc::Malformed : Errc::Truncated;
    }
    std::vector<RecordHeaderView> headers;
    headers.reserve(static_cast<size_t>(count));
    for (int32_t i = 0; i < count; ++i) {
        TRIBUTARY_TRY(key, get_sized(body, pos, false));
        TRIBUTARY_TRY(value, get_sized(body, pos, true));
        headers.push_back(
            {std::string_view(reinterpret_cast<const char*>(key->data()), key->size()), value});
    }
    return headers;
}

Result<Record> decode_body(std::span<const uint8_t> body) {
    Record r;
    size_t pos = 0;
    if (body.empty()) {
        return Errc::Truncated;
    }
    r.attributes = static_cast<int8_t>(body[pos++]);
    TRIBUTARY_TRY(ts, get_varlong(body, pos));
    r.timestamp_delta = ts;
    TRIBUTARY_TRY(od, get_varint(body, pos));
    r.offset_delta = od;
    TRIBUTARY_TRY(key, get_sized(body, pos, true));
    r.key = key;
    TRIBUTARY_TRY(value, get_sized(body, pos, true));
    r.value = value;
    TRIBUTARY_TRY(headers, get_headers(body, pos));
    r.headers = std::move(headers);
    if (pos != body.size()) {
        return Errc::Malformed;
    }
    return r;
}

}  // namespace

Result<Record> decode_record(std::span<const uint8_t> in, size_t& pos) {
    size_t p = pos;
    TRIBUTARY_TRY(length, get_varint(in, p));
    if (length < 0) {
        return Errc::Malformed;
    }
    if (static_cast<size_t>(length) > in.size() - p) {
        return Errc::Truncated;
    }
    auto body = decode_body(in.subspan(p, static_cast<size_t>(length)));
    if (!body) {
        // Inside a complete body, running out of bytes means the declared length was wrong.
        return body.error() == Errc::Truncated ? Errc::Malformed : body.error();
    }
    pos = p + static_cast<size_t>(length);
    return std::move(body).value();
}

}  // namespace common::records
