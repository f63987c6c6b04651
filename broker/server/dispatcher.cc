#include "broker/server/dispatcher.h"

#include "common/log.h"
#include "common/protocol/error_code.h"
#include "common/protocol/headers.h"

namespace broker::server {

namespace proto = common::protocol;

namespace {
auto& server_log() {
    static auto logger = common::log::get("server");
    return logger;
}
}  // namespace

net::Reply Dispatcher::close(int16_t api_key) const {
    if (metrics_) metrics_->count_error(api_key);
    return net::Reply{net::Reply::Action::Close, {}};
}

net::Reply Dispatcher::unsupported_api_versions(int32_t correlation_id) const {
    proto::ApiVersionsResponse response;
    response.error_code = static_cast<int16_t>(proto::ErrorCode::UnsupportedVersion);
    response.api_keys = table_.advertised();
    proto::Writer out;
    proto::write_response_header(out, correlation_id, 0);
    response.write(out, 0);
    return net::Reply{net::Reply::Action::Respond, out.take()};
}

awaitable<net::Reply> Dispatcher::handle_frame(std::vector<uint8_t> frame,
                                               const net::ConnectionInfo& info) {
    try {
        co_return co_await dispatch(frame, info);
    } catch (const std::exception& e) {
        server_log()->error("closing connection from {}: request failed: {}", info.peer, e.what());
    }
    co_return close(-1);
}

awaitable<net::Reply> Dispatcher::dispatch(std::span<const uint8_t> frame,
                                           const net::ConnectionInfo& info) {
    proto::Reader reader(frame);
    auto header = proto::read_request_header(reader);
    if (!header) {
        server_log()->warn("closing connection from {}: bad request header: {}", info.peer,
                           header.error().message());
        co_return close(-1);
    }
    auto key = static_cast<int16_t>(header.value().api_key);
    int16_t version = header.value().api_version;
    if (metrics_) metrics_->count_request(key);
    const HandlerEntry* entry = table_.find(key);
    if (entry == nullptr) {
        server_log()->warn("closing connection from {}: unknown API key {} (v{})", info.peer, key,
                           version);
        co_return close(key);
    }
    if (version < entry->min_version || version > entry->max_version) {
        if (header.value().api_key == proto::ApiKey::ApiVersions) {
            co_return unsupported_api_versions(header.value().correlation_id);
        }
        server_log()->warn("closing connection from {}: API key {} v{} unsupported (v{}-{})",
                           info.peer, key, version, entry->min_version, entry->max_version);
        co_return close(key);
    }
    RequestContext ctx(services_, version, header.value().correlation_id,
                       std::move(header.value().client_id), info.peer, info.shard, info.listener);
    proto::Writer out;
    proto::write_response_header(out, ctx.correlation_id(),
                                 proto::response_header_version(header.value().api_key, version));
    auto body = frame.subspan(reader.position());
    bool decoded = co_await entry->fn(ctx, body, out);
    if (!decoded) co_return close(key);
    if (ctx.response_suppressed()) co_return net::Reply{net::Reply::Action::NoResponse, {}};
    co_return net::Reply{net::Reply::Action::Respond, out.take()};
}

}  // namespace broker::server
