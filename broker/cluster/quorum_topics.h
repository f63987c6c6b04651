#pragma once
// QuorumTopics: the clustered implementation of Topics. Changes become controller commands
// (TopicCommand) run on the quorum's shard: with a TopicForwarder, on the active controller
// wherever the request arrived (forwarded when this node does not lead); without one, only by
// the local ControllerQuorum (NotController on a node that does not lead). Reads come from the
// MetadataCache, which follows the committed metadata log on every node.

#include "broker/cluster/controller_quorum.h"
#include "broker/cluster/shard_set.h"
#include "broker/cluster/topic_command.h"
#include "broker/cluster/topic_forwarder.h"
#include "broker/cluster/topics.h"

namespace broker::config {
struct BrokerConfig;
}

namespace broker::cluster {

// Owned by app::Broker next to the quorum; callable from any shard. `shards`, `quorum`,
// `broker` (defaults of list configs) and `forwarder` (may be null) outlive it; the quorum and
// the forwarder live on `quorum_shard`.
class QuorumTopics final : public Topics {
  public:
    QuorumTopics(ShardSet& shards, ShardIndex quorum_shard, ControllerQuorum& quorum,
                 const config::BrokerConfig& broker, TopicForwarder* forwarder = nullptr)
        : shards_(shards),
          quorum_shard_(quorum_shard),
          quorum_(quorum),
          broker_(broker),
          forwarder_(forwarder) {}

    std::shared_ptr<const TopicSnapshot> snapshot() override;
    boost::asio::awaitable<TopicOpStatus> create_topic(CreateTopicArgs args,
                                                       TopicInfo* created) override;
    boost::asio::awaitable<TopicOpStatus> delete_topic(std::string name) override;
    boost::asio::awaitable<TopicOpStatus> create_partitions(std::string name, int32_t total_count,
                                                            bool validate_only) override;
    boost::asio::awaitable<TopicOpStatus> replace_configs(std::string name, TopicConfigMap configs,
                                                          bool validate_only) override;
    // Set, Delete, Append and Subtract with the single-node controller's rules
    // (apply_config_change).
    boost::asio::awaitable<TopicOpStatus> alter_configs(std::string name,
                                                        std::vector<ConfigChange> changes,
                                                        bool validate_only) override;

  private:
    // `timeout`: zero or less for the forwarder's default.
    boost::asio::awaitable<TopicCommandResult> run(TopicCommand command,
                                                   std::chrono::milliseconds timeout = {});

    ShardSet& shards_;
    ShardIndex quorum_shard_;
    ControllerQuorum& quorum_;
    const config::BrokerConfig& broker_;
    TopicForwarder* forwarder_;
};

}  // namespace broker::cluster
