#pragma once
// TcpTransport: Raft's network between brokers. Exactly one TCP connection per broker pair: the
// node with the lower id dials (reconnecting with capped exponential backoff and jitter), the
// higher one accepts (TcpTransportOptions::dials may choose otherwise); the dialer's first frame
// is Hello. Each peer has a bounded send queue (frames beyond it are dropped and counted: Raft
// retransmits); the writer gathers every queued frame into one scatter/gather write. Received
// frames go to one FrameSink with the sender's node id; a frame the sink refuses, or a bad size
// or Hello, closes that connection with one log line. Frames are built with rpc_frame.h /
// rpc_codec.h. Asio stays out of this header.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "broker/raft/rpc_frame.h"
#include "common/result.h"
#include "common/strong_id.h"

namespace boost::asio {
class io_context;
}

namespace broker::raft {

struct TcpTransportOptions {
    uint32_t max_frame_bytes = 64u << 20;  // larger frames close the connection
    size_t max_queued_bytes = 32u << 20;   // per peer
    size_t max_queued_frames = 65536;      // per peer
    std::chrono::milliseconds reconnect_min{20};
    std::chrono::milliseconds reconnect_max{1000};
    std::chrono::milliseconds hello_timeout{10000};  // an accepted socket silent this long closes
    // Whether this node dials `peer`; both ends of every pair must agree (one dials, the other
    // accepts). Unset: the lower id dials.
    std::function<bool(common::NodeId peer)> dials;
};

// Receives every frame that arrives (after the connection's Hello), on the transport's thread.
// Returns false when the frame is malformed: the transport then closes that connection.
using FrameSink = std::function<bool(common::NodeId from, const FrameView& frame)>;

// Counters, read on the transport's thread (tests and metrics).
struct TcpTransportStats {
    uint64_t frames_sent = 0;
    uint64_t frames_received = 0;
    uint64_t frames_dropped = 0;  // send queue full
    uint64_t connections_opened = 0;
    uint64_t connections_closed_bad_input = 0;
};

// Lives on one io_context (its "thread"): every member function must be called there, or
// before that io_context runs. Destroying it (or stop()) closes the listener and every
// connection; coroutines still pending keep the internals alive until they finish.
class TcpTransport {
  public:
    TcpTransport(boost::asio::io_context& io, common::NodeId self,
                 TcpTransportOptions options = {});
    ~TcpTransport();
    TcpTransport(const TcpTransport&) = delete;
    TcpTransport& operator=(const TcpTransport&) = delete;

    common::NodeId self() const;
    // Binds host:port (port 0 picks one) and starts accepting. Returns the bound port.
    [[nodiscard]] common::Result<uint16_t> listen(const std::string& host, uint16_t port);
    // Where a peer listens. A peer this node dials (options.dials; by default one with a higher
    // id than self) is dialed at once.
    void set_peer(common::NodeId id, const std::string& host, uint16_t port);
    // Forgets a peer: closes its connection and drops its queue.
    void remove_peer(common::NodeId id);
    void set_sink(FrameSink sink);

    // Queues a whole frame (size field included) for `to`. False when it was dropped: unknown
    // peer or full queue. Never blocks.
    bool send(common::NodeId to, std::vector<uint8_t> frame);
    // True while a connection to `to` has completed its Hello.
    bool connected(common::NodeId to) const;
    const TcpTransportStats& stats() const;

    void stop();

    struct Impl;

  private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace broker::raft
