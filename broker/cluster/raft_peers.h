#pragma once
// RaftPeers: how a clustered node reaches the Raft listeners of brokers that are not controller
// voters (broker-only nodes). Voters are known from controller.quorum.voters; every other broker
// registers its Raft listener as one of its endpoints (named after the listener, e.g.
// CONTROLLER: never a listener Kafka clients use, so never advertised to them), and every node
// names it to its NodeHost as the metadata log brings the registration (RaftPeerDirectory).
// Who dials whom is raft::dials().

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/cluster/metadata_state.h"
#include "broker/raft/membership.h"

namespace broker::config {
struct BrokerConfig;
}

namespace broker::raft {
class NodeHost;
}

namespace broker::cluster {

struct RaftPeer {
    int32_t id = 0;
    std::string host;
    uint16_t port = 0;
    bool operator==(const RaftPeer&) const = default;
};

// The Raft listeners (endpoint `listener`) of the registered brokers other than `self` and the
// voters, by id. Pure.
std::vector<RaftPeer> raft_peers(const MetadataState& state, std::string_view listener,
                                 int32_t self, const raft::Membership& voters);

// The endpoint this broker registers for its Raft listener, bound at `bound_port`: the
// listener's host, or, when the listener binds every address (0.0.0.0, ::, empty), the host the
// inter-broker listener advertises. nullopt without a Raft listener.
std::optional<BrokerEndpoint> raft_endpoint_for(const config::BrokerConfig& config,
                                                uint16_t bound_port);

// Names the peers of raft_peers() to a NodeHost as they register or move. Lives on the host's
// io_context (shard 0): observe() is a MetadataCache listener there. The host outlives it.
class RaftPeerDirectory {
  public:
    RaftPeerDirectory(raft::NodeHost& host, std::string listener, raft::Membership voters);
    void observe(const MetadataState& state);

  private:
    raft::NodeHost& host_;
    std::string listener_;
    raft::Membership voters_;
    std::map<int32_t, std::pair<std::string, uint16_t>> named_;  // what the host was told
};

}  // namespace broker::cluster
