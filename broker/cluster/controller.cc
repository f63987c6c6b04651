#include "broker/cluster/controller.h"

#include <algorithm>

#include "broker/cluster/errc.h"
#include "broker/cluster/topic_config.h"
#include "broker/cluster/topic_table.h"
#include "broker/config/broker_config.h"
#include "common/cluster_id.h"
#include "common/errc.h"

namespace broker::cluster {
namespace {

ControllerResult fail(std::error_code error, std::string message) {
    return ControllerResult{error, std::move(message), {}};
}

ControllerResult done(std::vector<MetadataRecord> records) {
    return ControllerResult{{}, "", std::move(records)};
}

bool contains(const std::vector<int32_t>& ids, int32_t id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

ControllerSettings ControllerSettings::from(const config::BrokerConfig& config) {
    return {config.num_partitions, config.default_replication_factor};
}

BrokerRegistrationRequest registration_for(const config::BrokerConfig& config,
                                           const Uuid& incarnation_id) {
    BrokerRegistrationRequest request{config.node_id, incarnation_id, config.broker_rack, {}};
    for (const auto& l : config.listeners) {
        if (config.is_controller_listener(l.name)) continue;
        const auto* advertised = config.advertised_for(l.name);
        request.endpoints.push_back(
            {l.name, advertised->host, advertised->port, config.security_protocol(l.name)});
    }
    return request;
}

Controller::Controller(const MetadataState& state, ControllerSettings settings,
                       IdSource new_topic_id)
    : state_(state), settings_(settings), new_topic_id_(std::move(new_topic_id)) {
    if (!new_topic_id_) new_topic_id_ = [] { return make_topic_id(); };
}

bool Controller::is_live(int32_t id, int32_t excluded) const {
    const auto* b = state_.broker(id);
    return id != excluded && b != nullptr && !b->fenced;
}

std::vector<PlacementBroker> Controller::live_brokers() const {
    std::vector<PlacementBroker> out;
    for (const auto& [id, b] : state_.brokers()) {
        if (!b.fenced) out.push_back({id, b.rack});
    }
    return out;
}

std::map<int32_t, int64_t> Controller::cluster_load() const {
    std::map<int32_t, int64_t> load;
    for (const auto& [id, topic] : state_.topics()) {
        for (const auto& p : topic.partitions) {
            for (int32_t r : p.replicas) ++load[r];
        }
    }
    return load;
}

// The broker leaves every ISR it is not the last member of; what it led gets no leader (at the
// same leader epoch) until the partition's Raft group reports its next leader.
std::vector<MetadataRecord> Controller::leave_partitions(int32_t id) const {
    std::vector<MetadataRecord> out;
    for (const auto& [topic_id, topic] : state_.topics()) {
        for (size_t i = 0; i < topic.partitions.size(); ++i) {
            const auto& p = topic.partitions[i];
            if (!contains(p.isr, id) && p.leader != id) continue;
            std::vector<int32_t> isr = p.isr;
            // The last in-sync replica stays in the ISR: it alone has every committed record.
            if (isr.size() > 1 && contains(isr, id))
                isr.erase(std::find(isr.begin(), isr.end(), id));
            PartitionChangeRecord change{topic_id,     static_cast<int32_t>(i),
                                         std::nullopt, std::nullopt,
                                         std::nullopt, std::nullopt};
            if (p.leader == id) {
                change.leader = -1;
                change.leader_epoch = p.leader_epoch;
            }
            if (isr != p.isr) change.isr = isr;
            if (change.leader || change.isr) out.push_back(std::move(change));
        }
    }
    return out;
}

ControllerResult Controller::register_broker(const BrokerRegistrationRequest& request) const {
    if (request.broker_id < 0) return fail(common::Errc::InvalidArgument, "Invalid broker id.");
    if (request.rack && request.rack->empty()) {
        return fail(common::Errc::InvalidArgument, "An empty rack is not a rack.");
    }
    std::vector<MetadataRecord> records;
    if (const auto* old = state_.broker(request.broker_id)) {
        if (old->incarnation_id == request.incarnation_id) return done({});  // already registered
        records = leave_partitions(request.broker_id);
    }
    records.push_back(RegisterBrokerRecord{request.broker_id, request.incarnation_id,
                                           state_.last_broker_epoch() + 1, request.rack,
                                           request.endpoints, true});
    return done(std::move(records));
}

ControllerResult Controller::unfence_broker(int32_t id, int64_t epoch) const {
    const auto* b = state_.broker(id);
    if (b == nullptr) return fail(common::Errc::NotFound, "Broker is not registered.");
    if (b->epoch != epoch) return fail(common::Errc::InvalidArgument, "Stale broker epoch.");
    if (!b->fenced) return done({});
    return done({BrokerFencingRecord{id, epoch, false}});
}

ControllerResult Controller::fence_broker(int32_t id, int64_t epoch) const {
    const auto* b = state_.broker(id);
    if (b == nullptr) return fail(common::Errc::NotFound, "Broker is not registered.");
    if (b->epoch != epoch) return fail(common::Errc::InvalidArgument, "Stale broker epoch.");
    std::vector<MetadataRecord> records;
    if (!b->fenced) records.push_back(BrokerFencingRecord{id, epoch, true});
    auto moves = leave_partitions(id);
    records.insert(records.end(), moves.begin(), moves.end());
    return done(std::move(records));
}

ControllerResult Controller::unregister_broker(int32_t id, int64_t epoch) const {
    const auto* b = state_.broker(id);
    if (b == nullptr) return fail(common::Errc::NotFound, "Broker is not registered.");
    if (b->epoch != epoch) return fail(common::Errc::InvalidArgument, "Stale broker epoch.");
    auto records = leave_partitions(id);
    records.push_back(UnregisterBrokerRecord{id, epoch});
    return done(std::move(records));
}

ControllerResult Controller::claim_cluster_id(const std::string& cluster_id) const {
    if (!state_.cluster_id().empty()) return done({});
    if (!common::is_valid_cluster_id(cluster_id)) {
        return fail(common::Errc::InvalidArgument, "Invalid cluster id '" + cluster_id + "'.");
    }
    return done({ClusterIdRecord{cluster_id}});
}

ControllerResult Controller::create_topic(const CreateTopicArgs& args) const {
    if (auto why = check_topic_name(args.name); !why.empty()) {
        return fail(Errc::InvalidTopicName, why);
    }
    if (state_.topic(args.name) != nullptr) {
        return fail(Errc::TopicAlreadyExists, "Topic '" + args.name + "' already exists.");
    }
    int32_t partitions = args.partitions.value_or(settings_.num_partitions);
    if (partitions <= 0) {
        return fail(Errc::InvalidPartitions, "Number of partitions must be larger than 0.");
    }
    int16_t rf = args.replication_factor.value_or(settings_.default_replication_factor);
    if (auto why = validate_topic_configs(args.configs); !why.empty()) {
        return fail(Errc::InvalidConfig, why);
    }
    std::string error;
    auto placed = place_replicas({live_brokers(), partitions, rf, {}, cluster_load()}, &error);
    if (!placed) return fail(placed.error(), error);
    if (args.validate_only) return done({});
    Uuid id = new_topic_id_();
    std::vector<MetadataRecord> records{TopicRecord{args.name, id}};
    for (size_t p = 0; p < placed.value().size(); ++p) {
        const auto& replicas = placed.value()[p];
        records.push_back(PartitionRecord{id, static_cast<int32_t>(p), replicas, replicas,
                                          replicas.front(), 0, 0});
    }
    for (const auto& [key, value] : args.configs) {
        records.push_back(ConfigRecord{ConfigResourceType::Topic, args.name, key, value});
    }
    return done(std::move(records));
}

ControllerResult Controller::create_partitions(const std::string& name, int32_t total_count,
                                               bool validate_only) const {
    const auto* topic = state_.topic(name);
    if (topic == nullptr) return fail(Errc::UnknownTopic, "");
    auto current = static_cast<int32_t>(topic->partitions.size());
    if (total_count <= current) {
        return fail(Errc::InvalidPartitions,
                    "Topic currently has " + std::to_string(current) +
                        " partitions, which is higher than the requested " +
                        std::to_string(total_count) + ".");
    }
    std::vector<Assignment> existing;
    for (const auto& p : topic->partitions) existing.push_back(p.replicas);
    auto rf = existing.empty() ? 1 : static_cast<int32_t>(existing.front().size());
    std::string error;
    auto placed = place_replicas(
        {live_brokers(), total_count - current, rf, std::move(existing), cluster_load()}, &error);
    if (!placed) return fail(placed.error(), error);
    if (validate_only) return done({});
    std::vector<MetadataRecord> records;
    for (const auto& replicas : placed.value()) {
        records.push_back(
            PartitionRecord{topic->id, current++, replicas, replicas, replicas.front(), 0, 0});
    }
    return done(std::move(records));
}

ControllerResult Controller::replace_configs(const std::string& name, const TopicConfigMap& configs,
                                             bool validate_only) const {
    const auto* topic = state_.topic(name);
    if (topic == nullptr) return fail(Errc::UnknownTopic, "");
    if (auto why = validate_topic_configs(configs); !why.empty()) {
        return fail(Errc::InvalidConfig, why);
    }
    if (validate_only) return done({});
    std::vector<MetadataRecord> records;
    for (const auto& [key, value] : topic->configs) {
        if (!configs.contains(key)) {
            records.push_back(ConfigRecord{ConfigResourceType::Topic, name, key, std::nullopt});
        }
    }
    for (const auto& [key, value] : configs) {
        auto old = topic->configs.find(key);
        if (old == topic->configs.end() || old->second != value) {
            records.push_back(ConfigRecord{ConfigResourceType::Topic, name, key, value});
        }
    }
    return done(std::move(records));
}

ControllerResult Controller::delete_topic(const std::string& name) const {
    const auto* topic = state_.topic(name);
    if (topic == nullptr) return fail(Errc::UnknownTopic, "");
    return done({RemoveTopicRecord{topic->id}});
}

ControllerResult Controller::change_isr(const Uuid& topic_id, int32_t partition,
                                        int32_t leader_epoch, std::vector<int32_t> isr) const {
    const auto* topic = state_.topic(topic_id);
    if (topic == nullptr) return fail(Errc::UnknownTopic, "");
    if (partition < 0 || partition >= static_cast<int32_t>(topic->partitions.size())) {
        return fail(Errc::UnknownTopic, "Unknown partition.");
    }
    const auto& p = topic->partitions[static_cast<size_t>(partition)];
    if (leader_epoch != p.leader_epoch) {
        return fail(common::Errc::InvalidArgument, "Stale leader epoch.");
    }
    PartitionState next = p;
    next.isr = std::move(isr);
    if (!contains(next.isr, p.leader) || !is_valid_partition(next)) {
        return fail(common::Errc::InvalidArgument,
                    "The ISR must be replicas of the partition and contain its leader.");
    }
    if (next.isr == p.isr) return done({});
    return done({PartitionChangeRecord{topic_id, partition, std::nullopt, next.isr, std::nullopt,
                                       std::nullopt}});
}

std::optional<PartitionChangeRecord> Controller::accept_report(int32_t broker_id,
                                                               const LeaderReport& report) const {
    const auto* topic = state_.topic(report.topic_id);
    if (topic == nullptr || report.partition < 0 ||
        report.partition >= static_cast<int32_t>(topic->partitions.size())) {
        return std::nullopt;  // deleted meanwhile, or not yet known here
    }
    const auto& p = topic->partitions[static_cast<size_t>(report.partition)];
    bool newer = report.leader_epoch > p.leader_epoch;
    bool same = report.leader_epoch == p.leader_epoch && (p.leader == broker_id || p.leader == -1);
    if (!newer && !same) return std::nullopt;
    PartitionState next = p;
    next.leader = broker_id;
    next.leader_epoch = report.leader_epoch;
    next.isr.clear();
    for (int32_t r : report.isr) {
        // Fenced brokers stay out of ISRs; the reporting leader is always in.
        if ((r == broker_id || is_live(r, -1)) && !contains(next.isr, r)) next.isr.push_back(r);
    }
    if (!contains(next.isr, broker_id) || !is_valid_partition(next)) return std::nullopt;
    if (next == p) return std::nullopt;
    PartitionChangeRecord change{report.topic_id, report.partition, std::nullopt,
                                 std::nullopt,    std::nullopt,     std::nullopt};
    if (next.leader != p.leader) change.leader = next.leader;
    if (next.leader_epoch != p.leader_epoch || change.leader)
        change.leader_epoch = next.leader_epoch;
    if (next.isr != p.isr) change.isr = next.isr;
    return change;
}

ControllerResult Controller::report_leadership(int32_t broker_id,
                                               const std::vector<LeaderReport>& reports) const {
    const auto* b = state_.broker(broker_id);
    if (b == nullptr) return fail(common::Errc::NotFound, "Broker is not registered.");
    if (b->fenced) return done({});  // a fenced broker leads nothing until it is unfenced
    std::vector<MetadataRecord> records;
    for (const auto& report : reports) {
        if (auto change = accept_report(broker_id, report)) records.push_back(std::move(*change));
    }
    return done(std::move(records));
}

}  // namespace broker::cluster
