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
    rt->host_ = std::make_unique<NodeHost>(io, rt->files_, self, options);
    auto port = rt->host_->listen(listener->host, listener->port);
    if (!port) {
        log->error("cannot listen for Raft on {} ({}:{}): {}", listener->name, listener->host,
                   listener->port, port.error().message());
        return port.error();
    }
    rt->port_ = port.value();
    std::vector<NodeId> voters;
    for (const auto& v : config.controller_quorum_voters) {
        voters.emplace_back(v.id);
        if (NodeId(v.id) != self) rt->host_->set_peer(NodeId(v.id), v.host, v.port);
    }
    rt->voters_ = Membership::of(std::move(voters));
    log->info("Raft listener {} on {}:{}; {} controller voters", listener->name, listener->host,
              rt->port_, config.controller_quorum_voters.size());
    return rt;
}

RaftRuntime::~RaftRuntime() {
    if (host_) host_->stop();
}

std::string RaftRuntime::group_dir(GroupId group) const {
    return storage::join_path(root_, std::to_string(group.value()));
}

}  // namespace broker::raft
