#include "broker/raft/control_frame.h"

#include "common/errc.h"
#include "common/protocol/reader.h"
#include "common/protocol/writer.h"

namespace broker::raft {

using common::Errc;

std::vector<uint8_t> encode_control(const ControlFrame& frame) {
    common::protocol::Writer w;
    w.write_int64(static_cast<int64_t>(frame.correlation_id));
    w.write_int32(static_cast<int32_t>(frame.body.size()));
    const auto& head = w.data();
    std::vector<uint8_t> payload(head.begin(), head.end());
    payload.insert(payload.end(), frame.body.begin(), frame.body.end());
    auto api = frame.response ? RpcApi::ControlResponse : RpcApi::ControlRequest;
    return make_frame(FrameHeader{api, 0, 0}, payload);
}

common::Result<ControlFrame> decode_control(const FrameView& frame) {
    auto api = frame.header.api;
    if (api != RpcApi::ControlRequest && api != RpcApi::ControlResponse) return Errc::Malformed;
    if (frame.header.version != 0) return Errc::Unsupported;
    if (frame.header.group != 0) return Errc::Malformed;
    common::protocol::Reader r(frame.payload);
    TRIBUTARY_TRY(correlation, r.read_int64());
    TRIBUTARY_TRY(length, r.read_int32());
    if (length < 0) return Errc::Malformed;
    if (static_cast<size_t>(length) > kMaxControlBodyBytes) return Errc::TooLarge;
    TRIBUTARY_TRY(body, r.read_raw(static_cast<size_t>(length)));
    if (!r.at_end()) return Errc::Malformed;
    ControlFrame out;
    out.response = api == RpcApi::ControlResponse;
    out.correlation_id = static_cast<uint64_t>(correlation);
    out.body.assign(body.begin(), body.end());
    return out;
}

}  // namespace broker::raft
