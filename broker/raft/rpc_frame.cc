#include "broker/raft/rpc_frame.h"

#include "common/errc.h"
#include "common/protocol/reader.h"
#include "common/protocol/writer.h"

namespace broker::raft {

using common::Errc;
using common::protocol::Reader;
using common::protocol::Writer;

void append_frame(std::vector<uint8_t>& out, const FrameHeader& header,
                  std::span<const uint8_t> payload) {
    Writer w;
    w.write_uint32(static_cast<uint32_t>(kFrameHeaderBytes + payload.size()));
    w.write_uint16(static_cast<uint16_t>(header.api));
    w.write_uint16(header.version);
    w.write_int64(static_cast<int64_t>(header.group));
    const auto& head = w.data();
    out.insert(out.end(), head.begin(), head.end());
    out.insert(out.end(), payload.begin(), payload.end());
}

std::vector<uint8_t> make_frame(const FrameHeader& header, std::span<const uint8_t> payload) {
    std::vector<uint8_t> out;
    out.reserve(kFrameSizeBytes + kFrameHeaderBytes + payload.size());
    append_frame(out, header, payload);
    return out;
}

common::Result<FrameView> decode_frame_body(std::span<const uint8_t> body) {
    Reader r(body);
    TRIBUTARY_TRY(api, r.read_uint16());
    TRIBUTARY_TRY(version, r.read_uint16());
    TRIBUTARY_TRY(group, r.read_int64());
    if (api > kMaxRpcApi) return Errc::Unsupported;
    FrameView view;
    view.header = FrameHeader{static_cast<RpcApi>(api), version, static_cast<uint64_t>(group)};
    view.payload = body.subspan(kFrameHeaderBytes);
    return view;
}

uint32_t decode_frame_size(std::span<const uint8_t, kFrameSizeBytes> f) {
    return (uint32_t{f[0]} << 24) | (uint32_t{f[1]} << 16) | (uint32_t{f[2]} << 8) | f[3];
}

std::vector<uint8_t> make_hello_frame(const Hello& hello) {
    Writer w;
    w.write_int32(hello.from.value());
    w.write_int32(hello.to.value());
    return make_frame(FrameHeader{RpcApi::Hello, 0, 0}, w.data());
}

common::Result<Hello> decode_hello(const FrameView& frame) {
    if (frame.header.api != RpcApi::Hello) return Errc::Malformed;
    if (frame.header.version != 0) return Errc::Unsupported;
    Reader r(frame.payload);
    TRIBUTARY_TRY(from, r.read_int32());
    TRIBUTARY_TRY(to, r.read_int32());
    if (!r.at_end()) return Errc::Malformed;
    return Hello{common::NodeId(from), common::NodeId(to)};
}

}  // namespace broker::raft
