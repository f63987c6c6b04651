#include "broker/cluster/quorum_topics.h"

#include <chrono>

#include "broker/cluster/errc.h"
#include "broker/cluster/topic_config.h"

namespace broker::cluster {
namespace {

// Runs on the quorum's shard: submits the command and waits (without blocking the shard) until
// the quorum reports it.
common::awaitable<ControllerResult> submit_here(ControllerQuorum* quorum,
                                                ControllerQuorum::Command command) {
    auto executor = co_await common::asio::this_coro::executor;
    common::asio::steady_timer signal(executor, std::chrono::steady_clock::time_point::max());
    auto result = std::make_shared<std::optional<ControllerResult>>();
    ControllerQuorum::Done done = [result, &signal](ControllerResult r) {
        *result = std::move(r);
        signal.cancel();
    };
    quorum->submit(std::move(command), std::move(done));
    if (!*result) {
        boost::system::error_code ec;
        co_await signal.async_wait(common::asio::redirect_error(common::use_awaitable, ec));
    }
    co_return std::move(**result);
}

// Reads the topic's overrides from the applied state and applies the changes (the list rules of
// apply_config_change resolve defaults from `broker`).
ControllerResult alter(const Controller& c, const config::BrokerConfig& broker,
                       const std::string& name, const std::vector<ConfigChange>& changes,
                       bool validate_only) {
    const auto* topic = c.state().topic(name);
    if (topic == nullptr) return {make_error_code(Errc::UnknownTopic), "", {}};
    TopicConfigMap configs = topic->configs;
    for (const auto& change : changes) {
        if (auto why = apply_config_change(configs, change, broker); !why.empty()) {
            return {make_error_code(Errc::InvalidConfig), why, {}};
        }
    }
    return c.replace_configs(name, configs, validate_only);
}

}  // namespace

std::shared_ptr<const TopicSnapshot> QuorumTopics::snapshot() {
    return quorum_.cache().topic_snapshot();
}

common::awaitable<TopicOpStatus> QuorumTopics::run(ControllerQuorum::Command command) {
    auto result =
        co_await shards_.invoke_on(quorum_shard_, submit_here, &quorum_, std::move(command));
    co_return TopicOpStatus{result.error, result.message};
}

// Each command is a named local before it is awaited: g++ 12 may destroy a temporary with a
// destructor twice when it is created inside a co_await expression.

common::awaitable<TopicOpStatus> QuorumTopics::create_topic(CreateTopicArgs args,
                                                            TopicInfo* created) {
    if (args.name == kConsumerOffsetsTopic) {
        // Each broker keeps its own, outside the cluster metadata (docs/cluster-metadata.md).
        co_return TopicOpStatus{
            make_error_code(Errc::InvalidTopicName),
            std::string(kConsumerOffsetsTopic) + " is local to each broker in clustered mode."};
    }
    std::string name = args.name;
    bool validate_only = args.validate_only;
    ControllerQuorum::Command command = [args = std::move(args)](const Controller& c) {
        return c.create_topic(args);
    };
    auto status = co_await run(std::move(command));
    if (status && created && !validate_only) {
        if (const auto* info = snapshot()->find(name)) *created = *info;
    }
    co_return status;
}

common::awaitable<TopicOpStatus> QuorumTopics::delete_topic(std::string name) {
    ControllerQuorum::Command command = [name](const Controller& c) {
        return c.delete_topic(name);
    };
    co_return co_await run(std::move(command));
}

common::awaitable<TopicOpStatus> QuorumTopics::create_partitions(std::string name,
                                                                 int32_t total_count,
                                                                 bool validate_only) {
    ControllerQuorum::Command command = [name, total_count, validate_only](const Controller& c) {
        return c.create_partitions(name, total_count, validate_only);
    };
    co_return co_await run(std::move(command));
}

common::awaitable<TopicOpStatus> QuorumTopics::replace_configs(std::string name,
                                                               TopicConfigMap configs,
                                                               bool validate_only) {
    ControllerQuorum::Command command = [name, configs, validate_only](const Controller& c) {
        return c.replace_configs(name, configs, validate_only);
    };
    co_return co_await run(std::move(command));
}

common::awaitable<TopicOpStatus> QuorumTopics::alter_configs(std::string name,
                                                             std::vector<ConfigChange> changes,
                                                             bool validate_only) {
    ControllerQuorum::Command command = [broker = &broker_, name, changes,
                                         validate_only](const Controller& c) {
        return alter(c, *broker, name, changes, validate_only);
    };
    co_return co_await run(std::move(command));
}

}  // namespace broker::cluster
