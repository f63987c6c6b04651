#pragma once
// TopicCommandService: the controller's side of forwarded topic changes (topic_forwarder.h).
// It serves TopicCommand bodies arriving on the NodeHost (routed by their type) by running them
// through this node's ControllerQuorum exactly as a local request would, and answers the
// TopicCommandResult once the quorum reported it (applied here, or NotController when this node
// does not lead). A malformed body closes the connection (one log line); a newer version than
// this node knows is answered with an error, so the sender gives up instead of retrying.
// Lives on the quorum's io_context (shard 0). The quorum, host and broker config outlive it;
// answers that come after destruction are dropped.

#include <memory>

#include "broker/cluster/controller_quorum.h"
#include "broker/cluster/topic_command.h"

namespace broker::config {
struct BrokerConfig;
}

namespace broker::cluster {

class TopicCommandService {
  public:
    TopicCommandService(ControllerQuorum& quorum, const config::BrokerConfig& broker)
        : quorum_(quorum), broker_(broker) {}
    ~TopicCommandService();
    TopicCommandService(const TopicCommandService&) = delete;
    TopicCommandService& operator=(const TopicCommandService&) = delete;

    // Serves topic commands arriving on `host` until stop().
    void start(raft::NodeHost& host);
    void stop();

    using Respond = std::function<void(TopicCommandResult)>;
    // One command; `respond` runs once, now or once the quorum reported it.
    void handle(TopicCommand command, Respond respond);

  private:
    ControllerQuorum& quorum_;
    const config::BrokerConfig& broker_;
    raft::NodeHost* host_ = nullptr;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace broker::cluster
