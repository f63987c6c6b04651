#pragma once
// HandlerTable: the served APIs by key, each with its advertised version range and a type-erased
// entry point that decodes the request, runs the handler and encodes the response body.
// Built once from the ONE list (handlers/handler_list.h, handlers/registry.h); ApiVersions and
// the dispatcher both read it. Immutable after construction; shared by all shards.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "broker/server/handler.h"
#include "common/log.h"
#include "common/protocol/messages/api_versions.h"
#include "common/protocol/reader.h"
#include "common/protocol/writer.h"

namespace broker::server {

// Decodes the body for ctx.api_version(), runs the handler and appends the encoded response
// body to `out`. Returns false when the body could not be decoded (the caller closes).
using HandlerFn = awaitable<bool> (*)(RequestContext& ctx, std::span<const uint8_t> body,
                                      common::protocol::Writer& out);

struct HandlerEntry {
    int16_t api_key = -1;  // -1: no handler for this key
    int16_t min_version = 0;
    int16_t max_version = -1;
    HandlerFn fn = nullptr;
};

class HandlerTable {
  public:
    static constexpr int kMaxKey = 127;

    void add(HandlerEntry entry) { entries_.at(static_cast<size_t>(entry.api_key)) = entry; }
    // Null when the key is not served.
    const HandlerEntry* find(int16_t api_key) const {
        if (api_key < 0 || api_key > kMaxKey || entries_[api_key].fn == nullptr) return nullptr;
        return &entries_[api_key];
    }
    // Every served API, by key: exactly what ApiVersions advertises.
    std::vector<common::protocol::ApiVersionsResponse::ApiVersion> advertised() const;

  private:
    std::array<HandlerEntry, kMaxKey + 1> entries_{};
};

// The entry point for handler H (used by the registry to fill the table).
template <ProtocolHandler H>
awaitable<bool> invoke_handler(RequestContext& ctx, std::span<const uint8_t> body,
                               common::protocol::Writer& out) {
    common::protocol::Reader reader(body);
    auto request = H::Request::read(reader, ctx.api_version());
    if (!request) {
        common::log::get("server")->warn(
            "closing connection from {}: cannot decode {} v{} request: {}", ctx.peer(),
            static_cast<int>(H::Request::kApiKey), ctx.api_version(), request.error().message());
        co_return false;
    }
    typename H::Response response = co_await H::handle(ctx, std::move(request).value());
    response.write(out, ctx.api_version());
    co_return true;
}

template <ProtocolHandler H>
HandlerEntry entry_for() {
    return HandlerEntry{static_cast<int16_t>(H::Request::kApiKey), H::kMinVersion, H::kMaxVersion,
                        &invoke_handler<H>};
}

}  // namespace broker::server
