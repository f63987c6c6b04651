#pragma once
// The shape of a protocol handler (CONVENTIONS.md, "A protocol handler").
//
// A handler is a type in broker/server/handlers/<api>.h:
//
//   struct ProduceHandler {
//       using Request = common::protocol::ProduceRequest;
//       using Response = common::protocol::ProduceResponse;
//       static constexpr int16_t kMinVersion = 3;   // the versions this broker advertises
//       static constexpr int16_t kMaxVersion = 7;
//       static common::awaitable<Response> handle(RequestContext& ctx, Request request);
//   };
//
// The dispatcher decodes the request for ctx.api_version(), calls handle(), and encodes the
// response header and body for the same version. handle() never sees bytes; it builds the
// response in request order with exactly one error code per input item. Produce with acks=0
// calls ctx.suppress_response() so that nothing is written back.
//
// Adding a handler (datapath: your four handlers go in exactly these two places):
//   1. broker/server/handlers/handler_list.h: #include your header and add your type to the ONE
//      list `using AllHandlers = HandlerList<...>;` (ApiVersions is derived from that list).
//   2. broker/server/handlers/CMakeLists.txt: add your .cc to the broker_handlers source list.
// A handler is tested alone with a RequestContext over fake services (see
// tests/broker/server/handlers/ for examples).

#include <concepts>
#include <cstdint>
#include <utility>  // before awaitable.hpp: Boost 1.74 needs it under g++ 12

#include <boost/asio/awaitable.hpp>

#include "broker/server/request_context.h"

namespace broker::server {

template <class T = void>
using awaitable = boost::asio::awaitable<T>;

// A handler's version range must lie within what its message definitions cover.
template <class H>
concept ProtocolHandler = requires(RequestContext& ctx, typename H::Request request) {
    typename H::Request;
    typename H::Response;
    { H::kMinVersion } -> std::convertible_to<int16_t>;
    { H::kMaxVersion } -> std::convertible_to<int16_t>;
    { H::handle(ctx, std::move(request)) } -> std::same_as<awaitable<typename H::Response>>;
}
&&(H::kMinVersion >= H::Request::kMinVersion) && (H::kMaxVersion <= H::Request::kMaxVersion) &&
    (H::kMinVersion >= H::Response::kMinVersion) && (H::kMaxVersion <= H::Response::kMaxVersion) &&
    (H::kMinVersion <= H::kMaxVersion) && (H::Request::kApiKey == H::Response::kApiKey);

}  // namespace broker::server
