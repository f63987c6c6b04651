#include "broker/cluster/control_body.h"

#include "common/errc.h"

namespace broker::cluster {

void write_body_head(common::protocol::Writer& w, uint16_t type, int16_t version) {
    w.write_int16(static_cast<int16_t>(type));
    w.write_int16(version);
}

common::Result<void> read_body_head(common::protocol::Reader& r, uint16_t type,
                                    int16_t max_version) {
    TRIBUTARY_TRY(got_type, r.read_int16());
    TRIBUTARY_TRY(version, r.read_int16());
    if (static_cast<uint16_t>(got_type) != type) return common::Errc::Malformed;
    if (version > max_version) return common::Errc::Unsupported;
    if (version < 0) return common::Errc::Malformed;
    return common::ok();
}

common::Result<int32_t> read_count(common::protocol::Reader& r, size_t min_bytes) {
    TRIBUTARY_TRY(n, r.read_int32());
    if (n < 0 || static_cast<size_t>(n) > r.remaining() / min_bytes) {
        return common::Errc::Malformed;
    }
    return n;
}

}  // namespace broker::cluster
