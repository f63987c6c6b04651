#include "broker/cluster/topic_command.h"

#include "broker/cluster/control_body.h"
#include "broker/cluster/errc.h"
#include "broker/cluster/topic_config.h"
#include "common/errc.h"
#include "common/protocol/reader.h"
#include "common/protocol/writer.h"

namespace broker::cluster {
namespace {

using common::protocol::Reader;
using common::protocol::Writer;

constexpr int16_t kVersion = 0;
constexpr bool kCompact = false;

void write_configs(Writer& w, const TopicConfigMap& configs) {
    w.write_int32(static_cast<int32_t>(configs.size()));
    for (const auto& [key, value] : configs) {
        w.write_string(key, kCompact);
        w.write_string(value, kCompact);
    }
}

common::Result<TopicConfigMap> read_configs(Reader& r) {
    TRIBUTARY_TRY(n, read_count(r, 4));
    TopicConfigMap out;
    for (int32_t i = 0; i < n; ++i) {
        TRIBUTARY_TRY(key, r.read_string(kCompact));
        TRIBUTARY_TRY(value, r.read_string(kCompact));
        if (!out.emplace(std::move(key), std::move(value)).second) return common::Errc::Malformed;
    }
    return out;
}

common::Result<ConfigChange> read_change(Reader& r) {
    TRIBUTARY_TRY(name, r.read_string(kCompact));
    TRIBUTARY_TRY(op, r.read_int8());
    TRIBUTARY_TRY(value, r.read_nullable_string(kCompact));
    if (op < 0 || op > static_cast<int8_t>(ConfigChange::Op::Subtract)) {
        return common::Errc::Malformed;
    }
    return ConfigChange{std::move(name), static_cast<ConfigChange::Op>(op), std::move(value)};
}

common::Result<TopicInfo> read_topic(Reader& r) {
    TopicInfo t;
    TRIBUTARY_TRY(id, r.read_uuid());
    TRIBUTARY_TRY(name, r.read_string(kCompact));
    TRIBUTARY_TRY(partitions, r.read_int32());
    TRIBUTARY_TRY(replication, r.read_int16());
    TRIBUTARY_TRY(configs, read_configs(r));
    t.id = id;
    t.name = std::move(name);
    t.partition_count = partitions;
    t.replication_factor = replication;
    t.configs = std::move(configs);
    return t;
}

// Reads the overrides from the applied state and applies the changes (the list rules of
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

ControllerResult run(const Controller& c, const config::BrokerConfig& broker,
                     const TopicCommand& t) {
    switch (t.op) {
        case TopicOp::CreateTopic:
            return c.create_topic(CreateTopicArgs{
                t.name, t.partitions, t.replication_factor, t.configs, t.validate_only, {}});
        case TopicOp::DeleteTopic:
            return c.delete_topic(t.name);
        case TopicOp::CreatePartitions:
            return c.create_partitions(t.name, t.total_count, t.validate_only);
        case TopicOp::ReplaceConfigs:
            return c.replace_configs(t.name, t.configs, t.validate_only);
        case TopicOp::AlterConfigs:
            return alter(c, broker, t.name, t.changes, t.validate_only);
    }
    return {make_error_code(Errc::ControllerFailed), "unknown topic command", {}};
}

}  // namespace

bool TopicCommand::operator==(const TopicCommand& other) const {
    auto same_change = [](const ConfigChange& a, const ConfigChange& b) {
        return a.name == b.name && a.op == b.op && a.value == b.value;
    };
    return op == other.op && name == other.name && partitions == other.partitions &&
           replication_factor == other.replication_factor && total_count == other.total_count &&
           configs == other.configs && validate_only == other.validate_only &&
           std::equal(changes.begin(), changes.end(), other.changes.begin(), other.changes.end(),
                      same_change);
}

TopicCommand create_topic_command(CreateTopicArgs args) {
    TopicCommand t;
    t.op = TopicOp::CreateTopic;
    t.name = std::move(args.name);
    t.partitions = args.partitions;
    t.replication_factor = args.replication_factor;
    t.configs = std::move(args.configs);
    t.validate_only = args.validate_only;
    return t;
}

ControllerQuorum::Command to_controller_command(TopicCommand command,
                                                const config::BrokerConfig& broker) {
    return [command = std::move(command), broker = &broker](const Controller& c) {
        return run(c, *broker, command);
    };
}

TopicCommandResult to_topic_command_result(const ControllerResult& result,
                                           const TopicCommand& command,
                                           const MetadataCache& cache) {
    TopicCommandResult out{result.error, result.message, cache.current()->last_applied(), {}};
    if (result && command.op == TopicOp::CreateTopic && !command.validate_only) {
        auto topics = cache.topic_snapshot();
        if (const auto* t = topics->find(command.name)) out.topic = *t;
    }
    return out;
}

std::vector<uint8_t> encode_topic_command(const TopicCommand& t) {
    Writer w;
    write_body_head(w, kTopicCommandType, kVersion);
    w.write_int8(static_cast<int8_t>(t.op));
    w.write_string(t.name, kCompact);
    w.write_int32(t.partitions.value_or(-1));
    w.write_int16(t.replication_factor.value_or(-1));
    w.write_int32(t.total_count);
    write_configs(w, t.configs);
    w.write_int32(static_cast<int32_t>(t.changes.size()));
    for (const auto& change : t.changes) {
        w.write_string(change.name, kCompact);
        w.write_int8(static_cast<int8_t>(change.op));
        w.write_nullable_string(change.value, kCompact);
    }
    w.write_bool(t.validate_only);
    return w.take();
}

common::Result<TopicCommand> decode_topic_command(std::span<const uint8_t> bytes) {
    Reader r(bytes);
    TRIBUTARY_TRY(read_body_head(r, kTopicCommandType, kVersion));
    TopicCommand t;
    TRIBUTARY_TRY(op, r.read_int8());
    if (op < 0 || op > static_cast<int8_t>(TopicOp::AlterConfigs)) return common::Errc::Malformed;
    t.op = static_cast<TopicOp>(op);
    TRIBUTARY_TRY(name, r.read_string(kCompact));
    TRIBUTARY_TRY(partitions, r.read_int32());
    TRIBUTARY_TRY(replication, r.read_int16());
    TRIBUTARY_TRY(total, r.read_int32());
    t.name = std::move(name);
    if (partitions != -1) t.partitions = partitions;
    if (replication != -1) t.replication_factor = replication;
    t.total_count = total;
    TRIBUTARY_TRY(configs, read_configs(r));
    t.configs = std::move(configs);
    TRIBUTARY_TRY(changes, read_count(r, 5));
    for (int32_t i = 0; i < changes; ++i) {
        TRIBUTARY_TRY(change, read_change(r));
        t.changes.push_back(std::move(change));
    }
    TRIBUTARY_TRY(validate_only, r.read_bool());
    t.validate_only = validate_only;
    if (!r.at_end()) return common::Errc::Malformed;
    return t;
}

std::vector<uint8_t> encode_topic_command_result(const TopicCommandResult& result) {
    Writer w;
    write_body_head(w, kTopicCommandResultType, kVersion);
    // Only cluster errors travel; anything else is the controller's own failure.
    int16_t error = 0;
    if (result.error) {
        error = result.error.category() == cluster_category()
                    ? static_cast<int16_t>(result.error.value())
                    : static_cast<int16_t>(Errc::ControllerFailed);
    }
    w.write_int16(error);
    w.write_string(result.message, kCompact);
    w.write_int64(result.applied_index);
    w.write_bool(result.topic.has_value());
    if (result.topic) {
        w.write_uuid(result.topic->id);
        w.write_string(result.topic->name, kCompact);
        w.write_int32(result.topic->partition_count);
        w.write_int16(result.topic->replication_factor);
        write_configs(w, result.topic->configs);
    }
    return w.take();
}

common::Result<TopicCommandResult> decode_topic_command_result(std::span<const uint8_t> bytes) {
    Reader r(bytes);
    TRIBUTARY_TRY(read_body_head(r, kTopicCommandResultType, kVersion));
    TopicCommandResult out;
    TRIBUTARY_TRY(error, r.read_int16());
    if (error < 0 || error > static_cast<int16_t>(Errc::ControllerFailed)) {
        return common::Errc::Malformed;
    }
    if (error != 0) out.error = make_error_code(static_cast<Errc>(error));
    TRIBUTARY_TRY(message, r.read_string(kCompact));
    TRIBUTARY_TRY(applied, r.read_int64());
    TRIBUTARY_TRY(has_topic, r.read_bool());
    out.message = std::move(message);
    out.applied_index = applied;
    if (has_topic) {
        TRIBUTARY_TRY(topic, read_topic(r));
        out.topic = std::move(topic);
    }
    if (!r.at_end()) return common::Errc::Malformed;
    return out;
}

}  // namespace broker::cluster
