#include "broker/raft/raft_runtime.h"

#include "common/errc.h"
#include "common/log.h"

namespace broker::raft {

std::optional<config::Listener> raft_listener(const config::BrokerConfig& config) {
    for (const auto& name : config.controller_listener_names) {
        for (const auto& l : config.listeners) {
            if (l.name == name) return l;
        }
    }
    return std::nullopt;
}

bool dials(NodeId self, NodeId peer, const Membership& voters) {
    const bool self_votes = voters.is_voter(self);
    const bool peer_votes = voters.is_voter(peer);
    if (self_votes != peer_votes) return !self_votes;
    return self < peer;
}

common::Result<std::unique_ptr<RaftRuntime>> RaftRuntime::start(boost::asio::io_context& io,
                                                                const config::BrokerConfig& config,
                                                                NodeHostOptions options) {
    auto log = common::log::get("raft");
    auto listener = raft_listener(config);
    if (config.controller_quorum_voters.empty() || !listener) {
        log->error(
            "Raft needs controller.quorum.voters and a listener named in "
            "controller.listener.names");
        return common::Errc::InvalidArgument;
    }
    std::unique_ptr<RaftRuntime> rt(new RaftRuntime());
    rt->root_ = storage::join_path(config.log_dir, "__raft");
    NodeId self(config.node_id);
    std::vector<NodeId> voters;
    for (const auto& v : config.controller_quorum_voters) voters.emplace_back(v.id);
    rt->voters_ = Membership::of(std::move(voters));
    if (!options.transport.dials) {
        options.transport.dials = [self, quorum = rt->voters_](NodeId peer) {
            return dials(self, peer, quorum);
        };
    }
    rt->host_ = std::make_unique<NodeHost>(io, rt->files_, self, options);
    auto port = rt->host_->listen(listener->host, listener->port);
    if (!port) {
        log->error("cannot listen for Raft on {} ({}:{}): {}", listener->name, listener->host,
                   listener->port, port.error().message());
        return port.error();
    }
    rt->port_ = port.value();
    for (const auto& v : config.controller_quorum_voters) {
        if (NodeId(v.id) != self) rt->host_->set_peer(NodeId(v.id), v.host, v.port);
    }
    log->info("Raft listener {} on {}:{}; {} controller voters{}", listener->name, listener->host,
              rt->port_, config.controller_quorum_voters.size(),
              rt->is_voter() ? "" : " (this node is broker-only: a learner of the quorum)");
    return rt;
}

RaftRuntime::~RaftRuntime() {
    if (host_) host_->stop();
}

std::string RaftRuntime::group_dir(GroupId group) const {
    return storage::join_path(root_, std::to_string(group.value()));
}

}  // namespace broker::raft
