#pragma once
// FrameHandler: what a connection calls for each complete request frame. The server's
// Dispatcher implements it; tests use a fake. Net knows nothing of Kafka messages.

#include <cstdint>
#include <string>
#include <vector>

#include <utility>  // before awaitable.hpp: Boost 1.74 needs it under g++ 12

#include <boost/asio/awaitable.hpp>

namespace broker::net {

// What to do after a request: write `bytes` (response header + body, without the size prefix),
// write nothing (Produce acks=0), or close the connection (the handler already logged why).
struct Reply {
    enum class Action { Respond, NoResponse, Close };
    Action action = Action::Respond;
    std::vector<uint8_t> bytes;
};

// About the connection a frame arrived on.
struct ConnectionInfo {
    std::string peer;        // "ip:port"
    uint64_t id = 0;         // unique per broker run
    uint32_t shard = 0;      // the shard the connection lives on
    std::string listener{};  // the name of the listener it arrived on
};

// Shared by all connections on all shards; must be callable concurrently from every shard.
class FrameHandler {
  public:
    virtual ~FrameHandler() = default;
    virtual boost::asio::awaitable<Reply> handle_frame(std::vector<uint8_t> frame,
                                                       const ConnectionInfo& info) = 0;
};

}  // namespace broker::net
