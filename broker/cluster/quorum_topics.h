#pragma once
// QuorumTopics: the clustered implementation of Topics. Changes become controller commands run
// by the ControllerQuorum (on the quorum's shard; refused with NotController on a node that does
// not lead, so clients go to the controller Metadata names); reads come from the MetadataCache,
// which follows the committed metadata log on every node.

#include "broker/cluster/controller_quorum.h"
#include "broker/cluster/shard_set.h"
#include "broker/cluster/topics.h"

namespace broker::config {
struct BrokerConfig;
}

namespace broker::cluster {

// Owned by app::Broker next to the quorum; callable from any shard. `shards`, `quorum` and
// `broker` (defaults of list configs) outlive it; the quorum lives on `quorum_shard`.
class QuorumTopics final : public Topics {
  public:
    QuorumTopics(ShardSet& shards, ShardIndex quorum_shard, ControllerQuorum& quorum,
                 const config::BrokerConfig& broker)
        : shards_(shards), quorum_shard_(quorum_shard), quorum_(quorum), broker_(broker) {}

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
    boost::asio::awaitable<TopicOpStatus> run(ControllerQuorum::Command command);

    ShardSet& shards_;
    ShardIndex quorum_shard_;
    ControllerQuorum& quorum_;
    const config::BrokerConfig& broker_;
};

}  // namespace broker::cluster
