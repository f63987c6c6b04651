#pragma once
// TopicForwarder: runs a topic change (TopicCommand) on the active controller wherever the
// request arrived. On the quorum leader it is a local controller command; on any other broker
// it goes to the current leader in a control frame (TopicCommandService answers there), and the
// answer is given once this broker's own MetadataCache has applied the leader's change, so the
// client that asks this broker next sees it.
//
// A leader that is unknown, changes, or does not answer (NotController, a timeout, a dropped
// connection) is retried against the leader this node knows then: at most `max_attempts`
// times, with a growing pause between tries, all within the command's timeout (the request's
// timeout_ms where it has one, else `timeout`). Then the answer is
// RequestTimedOut when a controller was asked but did not answer in time (or this broker did
// not catch up in time), otherwise NotController. A create whose first try was applied by a
// leader that died before answering gets TopicAlreadyExists on the retry.
//
// Lives on the quorum's io_context (shard 0): execute() runs there. The host, quorum and broker
// config outlive it.

#include <chrono>
#include <cstdint>

#include "broker/cluster/controller_quorum.h"
#include "broker/cluster/topic_command.h"
#include "common/asio.h"

namespace broker::config {
struct BrokerConfig;
}

namespace broker::cluster {

struct TopicForwarderOptions {
    int32_t node_id = 0;
    std::chrono::milliseconds timeout{30000};      // default bound of a command, retries included
    std::chrono::milliseconds call_timeout{5000};  // one forwarded try
    std::chrono::milliseconds retry_backoff{100};  // doubles after every try, up to max_backoff
    std::chrono::milliseconds max_backoff{1000};
    int max_attempts = 10;
};

// Submits `command` to the local quorum and waits (without blocking the shard) for its result:
// applied here, or NotController. On the quorum's io_context.
common::awaitable<ControllerResult> submit_and_wait(ControllerQuorum* quorum,
                                                    ControllerQuorum::Command command);

class TopicForwarder {
  public:
    TopicForwarder(raft::NodeHost& host, ControllerQuorum& quorum,
                   const config::BrokerConfig& broker, TopicForwarderOptions options)
        : host_(host), quorum_(quorum), broker_(broker), options_(options) {}

    // `timeout` bounds the whole command (zero or less: options.timeout).
    common::awaitable<TopicCommandResult> execute(TopicCommand command,
                                                  std::chrono::milliseconds timeout);

  private:
    // One try on the leader `leader`; nullopt when it did not answer (timeout, transport).
    common::awaitable<std::optional<TopicCommandResult>> try_remote(
        int32_t leader, const std::vector<uint8_t>& body,
        std::chrono::steady_clock::time_point deadline);
    // Waits until this node's cache has applied `index`; false at the deadline.
    common::awaitable<bool> wait_applied(int64_t index,
                                         std::chrono::steady_clock::time_point deadline);

    raft::NodeHost& host_;
    ControllerQuorum& quorum_;
    const config::BrokerConfig& broker_;
    TopicForwarderOptions options_;
};

}  // namespace broker::cluster
