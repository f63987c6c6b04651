#include "broker/cluster/raft_peers.h"

#include "broker/config/broker_config.h"
#include "broker/raft/node_host.h"
#include "broker/raft/raft_runtime.h"
#include "common/log.h"

namespace broker::cluster {

std::vector<RaftPeer> raft_peers(const MetadataState& state, std::string_view listener,
                                 int32_t self, const raft::Membership& voters) {
    std::vector<RaftPeer> out;
    for (const auto& [id, broker] : state.brokers()) {
        if (id == self || voters.is_voter(raft::NodeId(id))) continue;
        const auto* endpoint = broker.endpoint(listener);
        if (endpoint == nullptr || endpoint->host.empty() || endpoint->port == 0) continue;
        out.push_back({id, endpoint->host, endpoint->port});
    }
    return out;
}

std::optional<BrokerEndpoint> raft_endpoint_for(const config::BrokerConfig& config,
                                                uint16_t bound_port) {
    auto listener = raft::raft_listener(config);
    if (!listener) return std::nullopt;
    std::string host = listener->host;
    if (host.empty() || host == "0.0.0.0" || host == "::") {
        const auto* inter = config.advertised_for(config.inter_broker_listener_name);
        if (inter != nullptr) host = inter->host;
    }
    return BrokerEndpoint{listener->name, host, bound_port,
                          config.security_protocol(listener->name)};
}

RaftPeerDirectory::RaftPeerDirectory(raft::NodeHost& host, std::string listener,
                                     raft::Membership voters)
    : host_(host), listener_(std::move(listener)), voters_(std::move(voters)) {}

void RaftPeerDirectory::observe(const MetadataState& state) {
    for (const auto& peer : raft_peers(state, listener_, host_.self().value(), voters_)) {
        auto address = std::make_pair(peer.host, peer.port);
        auto [it, added] = named_.try_emplace(peer.id, address);
        if (!added && it->second == address) continue;
        it->second = address;
        common::log::get("raft")->info("Raft peer {} (broker-only) at {}:{}", peer.id, peer.host,
                                       peer.port);
        host_.set_peer(raft::NodeId(peer.id), peer.host, peer.port);
    }
}

}  // namespace broker::cluster
