#include "broker/cluster/broker_heartbeat.h"

#include "broker/cluster/control_body.h"
#include "common/errc.h"
#include "common/protocol/reader.h"
#include "common/protocol/writer.h"

namespace broker::cluster {
namespace {

using common::Errc;
using common::protocol::Reader;
using common::protocol::Writer;

constexpr int16_t kVersion = 0;
constexpr bool kCompact = false;

common::Result<BrokerEndpoint> read_endpoint(Reader& r) {
    TRIBUTARY_TRY(name, r.read_string(kCompact));
    TRIBUTARY_TRY(host, r.read_string(kCompact));
    TRIBUTARY_TRY(port, r.read_uint16());
    TRIBUTARY_TRY(protocol, r.read_string(kCompact));
    return BrokerEndpoint{std::move(name), std::move(host), port, std::move(protocol)};
}

common::Result<LeaderReport> read_report(Reader& r) {
    LeaderReport out;
    TRIBUTARY_TRY(topic, r.read_uuid());
    TRIBUTARY_TRY(partition, r.read_int32());
    TRIBUTARY_TRY(epoch, r.read_int32());
    TRIBUTARY_TRY(n, read_count(r, 4));
    out.topic_id = topic;
    out.partition = partition;
    out.leader_epoch = epoch;
    for (int32_t i = 0; i < n; ++i) {
        TRIBUTARY_TRY(id, r.read_int32());
        out.isr.push_back(id);
    }
    return out;
}

}  // namespace

std::vector<uint8_t> encode_heartbeat(const BrokerHeartbeat& hb) {
    Writer w;
    write_body_head(w, kHeartbeatType, kVersion);
    w.write_int32(hb.broker_id);
    w.write_uuid(hb.incarnation_id);
    w.write_int64(hb.broker_epoch);
    w.write_nullable_string(hb.rack, kCompact);
    w.write_int32(static_cast<int32_t>(hb.endpoints.size()));
    for (const auto& e : hb.endpoints) {
        w.write_string(e.name, kCompact);
        w.write_string(e.host, kCompact);
        w.write_uint16(e.port);
        w.write_string(e.security_protocol, kCompact);
    }
    w.write_int32(static_cast<int32_t>(hb.reports.size()));
    for (const auto& rep : hb.reports) {
        w.write_uuid(rep.topic_id);
        w.write_int32(rep.partition);
        w.write_int32(rep.leader_epoch);
        w.write_int32(static_cast<int32_t>(rep.isr.size()));
        for (int32_t id : rep.isr) w.write_int32(id);
    }
    return w.take();
}

common::Result<BrokerHeartbeat> decode_heartbeat(std::span<const uint8_t> bytes) {
    Reader r(bytes);
    TRIBUTARY_TRY(read_body_head(r, kHeartbeatType, kVersion));
    BrokerHeartbeat hb;
    TRIBUTARY_TRY(id, r.read_int32());
    TRIBUTARY_TRY(incarnation, r.read_uuid());
    TRIBUTARY_TRY(epoch, r.read_int64());
    TRIBUTARY_TRY(rack, r.read_nullable_string(kCompact));
    hb.broker_id = id;
    hb.incarnation_id = incarnation;
    hb.broker_epoch = epoch;
    hb.rack = std::move(rack);
    TRIBUTARY_TRY(endpoints, read_count(r, 8));
    for (int32_t i = 0; i < endpoints; ++i) {
        TRIBUTARY_TRY(e, read_endpoint(r));
        hb.endpoints.push_back(std::move(e));
    }
    TRIBUTARY_TRY(reports, read_count(r, 28));
    for (int32_t i = 0; i < reports; ++i) {
        TRIBUTARY_TRY(rep, read_report(r));
        hb.reports.push_back(std::move(rep));
    }
    if (!r.at_end()) return Errc::Malformed;
    return hb;
}

std::vector<uint8_t> encode_heartbeat_response(const BrokerHeartbeatResponse& resp) {
    Writer w;
    write_body_head(w, kHeartbeatResponseType, kVersion);
    w.write_int16(static_cast<int16_t>(resp.error));
    w.write_int64(resp.broker_epoch);
    w.write_bool(resp.fenced);
    return w.take();
}

common::Result<BrokerHeartbeatResponse> decode_heartbeat_response(std::span<const uint8_t> bytes) {
    Reader r(bytes);
    TRIBUTARY_TRY(read_body_head(r, kHeartbeatResponseType, kVersion));
    TRIBUTARY_TRY(error, r.read_int16());
    TRIBUTARY_TRY(epoch, r.read_int64());
    TRIBUTARY_TRY(fenced, r.read_bool());
    if (!r.at_end()) return Errc::Malformed;
    return BrokerHeartbeatResponse{static_cast<common::protocol::ErrorCode>(error), epoch, fenced};
}

}  // namespace broker::cluster
