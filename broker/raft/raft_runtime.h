#pragma once
// RaftRuntime: a broker's home for every Raft group it takes part in (the controller quorum and
// the partitions it replicates): one NodeHost, on one io_context (shard 0), bound to the broker's
// Raft listener, with the controller voters as its first peers, and group storage under
// <log.dirs>/__raft/<group id>/ (the log manager ignores that directory: no '-' in its name).
//
// The Raft listener is the first listener named in controller.listener.names that appears in
// `listeners` (the operator renders CONTROLLER://<pod>:9090), on voters and broker-only nodes
// alike; controller.quorum.voters names the same listeners of the voters (id@host:port). Other
// brokers (broker-only nodes) are added with host().set_peer as the metadata cache learns their
// Raft listeners from their registrations. Connections between a voter and a broker-only node
// are dialed by the broker-only node (dials()), which knows the voters from its config: the
// voters need no address to be reached by a node that has just started.
// Created on the control thread before shard 0 runs (or on shard 0); used only on shard 0.

#include <memory>
#include <optional>
#include <string>

#include "broker/config/broker_config.h"
#include "broker/raft/node_host.h"
#include "broker/storage/posix_file_io.h"

namespace broker::raft {

// The group id of the controller quorum; partition groups never use it.
inline constexpr GroupId kControllerGroup{0};

// The listener Raft traffic uses, from the config (nullopt when there is none).
std::optional<config::Listener> raft_listener(const config::BrokerConfig& config);

// Which end of the pair (self, peer) dials the Raft connection; both ends compute the same
// answer from the same voters. A broker-only node dials a voter; otherwise the lower id dials.
bool dials(NodeId self, NodeId peer, const Membership& voters);

class RaftRuntime {
  public:
    // Binds the Raft listener and names the voters as peers. Refused (Errc::InvalidArgument,
    // logged) when controller.quorum.voters is empty or no Raft listener is configured.
    [[nodiscard]] static common::Result<std::unique_ptr<RaftRuntime>> start(
        boost::asio::io_context& io, const config::BrokerConfig& config,
        NodeHostOptions options = {});
    ~RaftRuntime();

    NodeHost& host() { return *host_; }
    uint16_t port() const { return port_; }
    // Where group `group` keeps its log, snapshot, term and vote.
    std::string group_dir(GroupId group) const;
    // The voters of the controller quorum (its founding membership).
    const Membership& controller_voters() const { return voters_; }
    // Whether this node votes in the controller quorum (else it is a broker-only node that
    // follows the metadata log as a learner).
    bool is_voter() const { return voters_.is_voter(host_->self()); }

  private:
    RaftRuntime() = default;

    storage::PosixFileIo files_;
    std::unique_ptr<NodeHost> host_;
    std::string root_;
    uint16_t port_ = 0;
    Membership voters_;
};

}  // namespace broker::raft
