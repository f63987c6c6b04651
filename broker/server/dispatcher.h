#pragma once
// Dispatcher: turns one request frame into one response (or none, or a close): decodes the
// request header, finds the handler in the HandlerTable, checks the version, runs the handler on
// the connection's shard and encodes the response header and body.
// Unknown API key or unsupported version (other than ApiVersions): one log line, close.
// ApiVersions with an unsupported version: error 35 in the v0 body with the full key list
// (KIP-511), so the client can retry with a version it knows.

#include "broker/net/frame_handler.h"
#include "broker/net/metrics.h"
#include "broker/server/handler_table.h"
#include "broker/server/request_context.h"

namespace broker::server {

// Owned by app::Broker; shared by every connection on every shard (stateless apart from
// references to broker-lifetime objects).
class Dispatcher : public net::FrameHandler {
  public:
    Dispatcher(const HandlerTable& table, Services services, net::Metrics* metrics)
        : table_(table), services_(services), metrics_(metrics) {}

    awaitable<net::Reply> handle_frame(std::vector<uint8_t> frame,
                                       const net::ConnectionInfo& info) override;

  private:
    awaitable<net::Reply> dispatch(std::span<const uint8_t> frame, const net::ConnectionInfo& info);
    net::Reply unsupported_api_versions(int32_t correlation_id) const;
    net::Reply close(int16_t api_key) const;

    const HandlerTable& table_;
    Services services_;
    net::Metrics* metrics_;
};

}  // namespace broker::server
