#pragma once
// NodeHost: runs the Raft groups of one broker (the controller quorum, the partitions) over one
// TcpTransport on one io_context. It
//   - opens each group's DiskLogStorage and starts its RaftNode;
//   - routes every received message to its group's node (unknown groups are dropped: a group
//     not created here yet); a message whose sender or receiver does not match the connection
//     is malformed and closes it;
//   - ticks every node from one timer;
//   - sends heartbeats itself, coalesced: one timer per peer broker builds one HeartbeatBatch
//     frame from RaftNode::heartbeat_to(peer) of every group (nodes run with
//     heartbeat_interval 0), and the receiver answers with one HeartbeatResponseBatch;
//   - drives group commit: a storage's flush requests are served by one SyncWork at a time,
//     run on the host's sync thread (the fdatasyncs never block the io_context); what is
//     flushed meanwhile goes into the next one; completions go to RaftNode::on_flushed;
//   - carries control calls (control_frame.h) between nodes: call() sends a request and matches
//     its response by correlation id (or times out); received requests go to the ControlHandler
//     registered for their body's type, else to the default one.
// Every peer broker must be named with set_peer (the lower id dials, see TcpTransport).
// Lives on its io_context: call every member there (or before the io_context runs). Destroying
// it, or stop(), stops its timers, connections and file I/O. Asio stays out of this header.

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "broker/raft/disk_log_storage.h"
#include "broker/raft/heartbeat_coalescer.h"
#include "broker/raft/raft_node.h"
#include "broker/raft/tcp_transport.h"
#include "broker/storage/file_io.h"

namespace boost::asio {
class io_context;
}

namespace broker::raft {

struct NodeHostOptions {
    Millis tick_interval{10};
    Millis heartbeat_interval{50};  // keep well under the groups' election_timeout_min
    TcpTransportOptions transport;
    DiskLogStorageOptions storage;
};

// One group to run here.
struct GroupSpec {
    RaftConfig config;                      // config.self must be the host's node id
    std::string dir;                        // the group's storage directory
    StateMachine* state_machine = nullptr;  // outlives the group
    Membership initial;  // founding members; empty when joining an existing group
    RaftNode::Callbacks callbacks;
};

// Answers one control request; call it at most once, on the host's io_context (later is fine).
using ControlReply = std::function<void(std::vector<uint8_t> body)>;
// Serves control requests. Returns false when the body is malformed: the connection closes.
using ControlHandler =
    std::function<bool(NodeId from, std::span<const uint8_t> body, ControlReply reply)>;
// A control call's outcome: the response body, or an error (the request could not be queued,
// or std::errc::timed_out).
using ControlDone = std::function<void(common::Result<std::vector<uint8_t>>)>;

class NodeHost {
  public:
    NodeHost(boost::asio::io_context& io, storage::FileIo& files, NodeId self,
             NodeHostOptions options = {});
    ~NodeHost();
    NodeHost(const NodeHost&) = delete;
    NodeHost& operator=(const NodeHost&) = delete;

    NodeId self() const;
    // The inter-broker listener (host:port; port 0 picks one). Returns the bound port.
    [[nodiscard]] common::Result<uint16_t> listen(const std::string& host, uint16_t port);
    void set_peer(NodeId id, const std::string& host, uint16_t port);
    // Opens the group's storage, starts its node and begins ticking it.
    [[nodiscard]] common::Result<RaftNode*> add_group(GroupSpec spec);
    // Stops and destroys the group's node (its storage stays on disk). Not from inside one of
    // the node's callbacks: post it.
    void remove_group(GroupId group);
    // nullptr when the group does not run here.
    RaftNode* node(GroupId group) const;
    void stop();

    // Control calls between nodes. Requests that arrive while no handler is set are dropped (the
    // caller times out). `done` runs once on the io_context, never inside call(); after stop()
    // it does not run at all.
    void set_control_handler(ControlHandler handler);
    // Requests whose body starts with the big-endian int16 `body_type` (broker/cluster's bodies
    // start with their type) go to `handler` instead; an empty handler removes the route.
    void set_control_handler(uint16_t body_type, ControlHandler handler);
    void call(NodeId to, std::vector<uint8_t> body, Millis timeout, ControlDone done);

    const TcpTransport& transport() const;
    const HeartbeatCoalescer& heartbeats() const;

    struct Impl;

  private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace broker::raft
