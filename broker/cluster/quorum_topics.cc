#include "broker/cluster/quorum_topics.h"

#include "broker/cluster/errc.h"

namespace broker::cluster {
namespace {

// Runs on the quorum's shard: through the forwarder (the active controller, wherever it is), or
// by the local quorum alone.
common::awaitable<TopicCommandResult> execute_here(TopicForwarder* forwarder,
                                                   ControllerQuorum* quorum,
                                                   const config::BrokerConfig* broker,
                                                   TopicCommand command,
                                                   std::chrono::milliseconds timeout) {
    if (forwarder != nullptr) co_return co_await forwarder->execute(std::move(command), timeout);
    auto local = to_controller_command(command, *broker);
    auto result = co_await submit_and_wait(quorum, std::move(local));
    co_return to_topic_command_result(result, command, quorum->cache());
}

TopicOpStatus status_of(const TopicCommandResult& result) {
    return TopicOpStatus{result.error, result.message};
}

}  // namespace

std::shared_ptr<const TopicSnapshot> QuorumTopics::snapshot() {
    return quorum_.cache().topic_snapshot();
}

common::awaitable<TopicCommandResult> QuorumTopics::run(TopicCommand command,
                                                        std::chrono::milliseconds timeout) {
    co_return co_await shards_.invoke_on(quorum_shard_, execute_here, forwarder_, &quorum_,
                                         &broker_, std::move(command), timeout);
}

// Each command is a named local before it is awaited: g++ 12 may destroy a temporary with a
// destructor twice when it is created inside a co_await expression.

common::awaitable<TopicOpStatus> QuorumTopics::create_topic(CreateTopicArgs args,
                                                            TopicInfo* created) {
    if (args.name == kConsumerOffsetsTopic && !args.internal) {
        // The group coordinator creates it when a client first looks for one
        // (docs/consumer-offsets.md).
        co_return TopicOpStatus{
            make_error_code(Errc::InvalidTopicName),
            std::string(kConsumerOffsetsTopic) + " is an internal topic; the brokers create it."};
    }
    std::string name = args.name;
    bool validate_only = args.validate_only;
    auto timeout = args.timeout;
    TopicCommand command = create_topic_command(std::move(args));
    auto result = co_await run(std::move(command), timeout);
    if (!result.error && created && !validate_only) {
        // This broker has applied the change: its cache has the topic, unless it is already gone.
        if (const auto* info = snapshot()->find(name)) {
            *created = *info;
        } else if (result.topic) {
            *created = *result.topic;
        }
    }
    co_return status_of(result);
}

common::awaitable<TopicOpStatus> QuorumTopics::delete_topic(std::string name) {
    TopicCommand command;
    command.op = TopicOp::DeleteTopic;
    command.name = std::move(name);
    auto result = co_await run(std::move(command));
    co_return status_of(result);
}

common::awaitable<TopicOpStatus> QuorumTopics::create_partitions(std::string name,
                                                                 int32_t total_count,
                                                                 bool validate_only) {
    TopicCommand command;
    command.op = TopicOp::CreatePartitions;
    command.name = std::move(name);
    command.total_count = total_count;
    command.validate_only = validate_only;
    auto result = co_await run(std::move(command));
    co_return status_of(result);
}

common::awaitable<TopicOpStatus> QuorumTopics::replace_configs(std::string name,
                                                               TopicConfigMap configs,
                                                               bool validate_only) {
    TopicCommand command;
    command.op = TopicOp::ReplaceConfigs;
    command.name = std::move(name);
    command.configs = std::move(configs);
    command.validate_only = validate_only;
    auto result = co_await run(std::move(command));
    co_return status_of(result);
}

common::awaitable<TopicOpStatus> QuorumTopics::alter_configs(std::string name,
                                                             std::vector<ConfigChange> changes,
                                                             bool validate_only) {
    TopicCommand command;
    command.op = TopicOp::AlterConfigs;
    command.name = std::move(name);
    command.changes = std::move(changes);
    command.validate_only = validate_only;
    auto result = co_await run(std::move(command));
    co_return status_of(result);
}

}  // namespace broker::cluster
