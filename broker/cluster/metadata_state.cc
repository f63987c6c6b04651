#include "broker/cluster/metadata_state.h"

#include <algorithm>
#include <set>

#include "broker/cluster/topic_table.h"
#include "common/cluster_id.h"
#include "common/errc.h"
#include "common/log.h"
#include "common/protocol/reader.h"
#include "common/protocol/writer.h"

namespace broker::cluster {
namespace {

using common::Errc;

constexpr int16_t kSnapshotVersion = 0;

bool distinct(const std::vector<int32_t>& ids) {
    std::set<int32_t> seen(ids.begin(), ids.end());
    return seen.size() == ids.size();
}

bool contains(const std::vector<int32_t>& ids, int32_t id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

bool valid_endpoints(const std::vector<BrokerEndpoint>& endpoints) {
    std::set<std::string> names;
    for (const auto& e : endpoints) {
        if (e.name.empty() || e.host.empty() || !names.insert(e.name).second) return false;
    }
    return true;
}

}  // namespace

const BrokerEndpoint* BrokerRegistration::endpoint(std::string_view listener) const {
    for (const auto& e : endpoints) {
        if (e.name == listener) return &e;
    }
    return nullptr;
}

bool is_valid_partition(const PartitionState& p) {
    if (p.replicas.empty() || !distinct(p.replicas) || !distinct(p.isr)) return false;
    if (std::any_of(p.replicas.begin(), p.replicas.end(), [](int32_t id) { return id < 0; })) {
        return false;
    }
    for (int32_t id : p.isr) {
        if (!contains(p.replicas, id)) return false;
    }
    if (p.leader != -1 && !contains(p.isr, p.leader)) return false;
    return p.leader_epoch >= 0 && p.partition_epoch >= 0;
}

common::Result<void> MetadataState::apply(const MetadataRecord& record) {
    return std::visit([this](const auto& r) { return on(r); }, record);
}

size_t MetadataState::apply_entry(int64_t index, std::span<const uint8_t> payload) {
    if (index <= last_applied_) return 0;
    last_applied_ = index;
    auto log = common::log::get("metadata");
    auto batch = decode_batch(payload);
    if (!batch) {
        log->error("metadata entry {} is not a valid record batch ({}); skipped", index,
                   batch.error().message());
        return 1;
    }
    size_t rejected = 0;
    for (const auto& record : batch.value()) {
        if (auto applied = apply(record); !applied) {
            ++rejected;
            log->warn("metadata entry {}: {} record rejected: {}", index,
                      record_type_name(type_of(record)), applied.error().message());
        }
    }
    return rejected;
}

const BrokerRegistration* MetadataState::broker(int32_t id) const {
    auto it = brokers_.find(id);
    return it == brokers_.end() ? nullptr : &it->second;
}

const TopicMetadata* MetadataState::topic(std::string_view name) const {
    auto it = topic_ids_.find(name);
    return it == topic_ids_.end() ? nullptr : topic(it->second);
}

const TopicMetadata* MetadataState::topic(const Uuid& id) const {
    auto it = topics_.find(id);
    return it == topics_.end() ? nullptr : &it->second;
}

TopicMetadata* MetadataState::find_topic(const Uuid& id) {
    auto it = topics_.find(id);
    return it == topics_.end() ? nullptr : &it->second;
}

common::Result<void> MetadataState::on(const RegisterBrokerRecord& r) {
    if (r.broker_id < 0 || r.broker_epoch <= 0 || !valid_endpoints(r.endpoints)) {
        return Errc::InvalidArgument;
    }
    if (r.rack && r.rack->empty()) return Errc::InvalidArgument;
    if (const auto* old = broker(r.broker_id); old && old->epoch >= r.broker_epoch) {
        return Errc::InvalidArgument;  // stale: a newer registration exists
    }
    brokers_[r.broker_id] = BrokerRegistration{r.broker_id, r.incarnation_id, r.broker_epoch,
                                               r.rack,      r.endpoints,      r.fenced};
    last_broker_epoch_ = std::max(last_broker_epoch_, r.broker_epoch);
    return common::ok();
}

common::Result<void> MetadataState::on(const UnregisterBrokerRecord& r) {
    const auto* b = broker(r.broker_id);
    if (b == nullptr) return Errc::NotFound;
    if (b->epoch != r.broker_epoch) return Errc::InvalidArgument;
    brokers_.erase(r.broker_id);
    return common::ok();
}

common::Result<void> MetadataState::on(const BrokerFencingRecord& r) {
    auto it = brokers_.find(r.broker_id);
    if (it == brokers_.end()) return Errc::NotFound;
    if (it->second.epoch != r.broker_epoch) return Errc::InvalidArgument;
    it->second.fenced = r.fenced;
    return common::ok();
}

common::Result<void> MetadataState::on(const TopicRecord& r) {
    if (!check_topic_name(r.name).empty() || r.topic_id == Uuid{}) return Errc::InvalidArgument;
    if (topic_ids_.contains(r.name) || topics_.contains(r.topic_id)) return Errc::AlreadyExists;
    topics_[r.topic_id] = TopicMetadata{r.name, r.topic_id, {}, {}};
    topic_ids_[r.name] = r.topic_id;
    return common::ok();
}

common::Result<void> MetadataState::on(const PartitionRecord& r) {
    TopicMetadata* t = find_topic(r.topic_id);
    if (t == nullptr) return Errc::NotFound;
    if (r.partition != static_cast<int32_t>(t->partitions.size())) return Errc::InvalidArgument;
    PartitionState p{r.replicas, r.isr, r.leader, r.leader_epoch, r.partition_epoch};
    if (!is_valid_partition(p)) return Errc::InvalidArgument;
    t->partitions.push_back(std::move(p));
    return common::ok();
}

common::Result<void> MetadataState::on(const PartitionChangeRecord& r) {
    TopicMetadata* t = find_topic(r.topic_id);
    if (t == nullptr) return Errc::NotFound;
    if (r.partition < 0 || r.partition >= static_cast<int32_t>(t->partitions.size())) {
        return Errc::NotFound;
    }
    PartitionState next = t->partitions[static_cast<size_t>(r.partition)];
    if (r.replicas) next.replicas = *r.replicas;
    if (r.isr) next.isr = *r.isr;
    if (r.leader_epoch) {
        // Reported from Raft: the epoch is the group's term; one leader per term.
        bool other_leader =
            r.leader && *r.leader != next.leader && *r.leader != -1 && next.leader != -1;
        if (*r.leader_epoch < next.leader_epoch ||
            (*r.leader_epoch == next.leader_epoch && other_leader)) {
            return Errc::InvalidArgument;
        }
        if (r.leader) next.leader = *r.leader;
        next.leader_epoch = *r.leader_epoch;
    } else if (r.leader && *r.leader != next.leader) {
        if (next.leader_epoch == INT32_MAX) return Errc::InvalidArgument;
        next.leader = *r.leader;
        ++next.leader_epoch;
    }
    if (next.partition_epoch == INT32_MAX || !is_valid_partition(next)) {
        return Errc::InvalidArgument;
    }
    ++next.partition_epoch;
    t->partitions[static_cast<size_t>(r.partition)] = std::move(next);
    return common::ok();
}

common::Result<void> MetadataState::on(const ConfigRecord& r) {
    if (r.name.empty()) return Errc::InvalidArgument;
    TopicConfigMap* configs = nullptr;
    if (r.resource_type == ConfigResourceType::Topic) {
        auto it = topic_ids_.find(r.resource_name);
        if (it == topic_ids_.end()) return Errc::NotFound;
        configs = &topics_[it->second].configs;
    } else {
        configs = &broker_configs_[r.resource_name];
    }
    if (r.value) {
        (*configs)[r.name] = *r.value;
    } else {
        configs->erase(r.name);
    }
    if (r.resource_type == ConfigResourceType::Broker && configs->empty()) {
        broker_configs_.erase(r.resource_name);
    }
    return common::ok();
}

common::Result<void> MetadataState::on(const RemoveTopicRecord& r) {
    const TopicMetadata* t = topic(r.topic_id);
    if (t == nullptr) return Errc::NotFound;
    topic_ids_.erase(t->name);
    topics_.erase(r.topic_id);
    return common::ok();
}

common::Result<void> MetadataState::on(const ClusterIdRecord& r) {
    if (!common::is_valid_cluster_id(r.cluster_id)) return Errc::InvalidArgument;
    if (!cluster_id_.empty() && cluster_id_ != r.cluster_id) return Errc::AlreadyExists;
    cluster_id_ = r.cluster_id;
    return common::ok();
}

common::protocol::Bytes MetadataState::snapshot() const {
    std::vector<MetadataRecord> records;
    if (!cluster_id_.empty()) records.push_back(ClusterIdRecord{cluster_id_});
    for (const auto& [id, b] : brokers_) {
        records.push_back(
            RegisterBrokerRecord{id, b.incarnation_id, b.epoch, b.rack, b.endpoints, b.fenced});
    }
    for (const auto& [id, t] : topics_) {
        records.push_back(TopicRecord{t.name, id});
        for (size_t p = 0; p < t.partitions.size(); ++p) {
            const auto& s = t.partitions[p];
            records.push_back(PartitionRecord{id, static_cast<int32_t>(p), s.replicas, s.isr,
                                              s.leader, s.leader_epoch, s.partition_epoch});
        }
        for (const auto& [key, value] : t.configs) {
            records.push_back(ConfigRecord{ConfigResourceType::Topic, t.name, key, value});
        }
    }
    for (const auto& [resource, configs] : broker_configs_) {
        for (const auto& [key, value] : configs) {
            records.push_back(ConfigRecord{ConfigResourceType::Broker, resource, key, value});
        }
    }
    common::protocol::Writer w;
    w.write_int16(kSnapshotVersion);
    w.write_int64(last_applied_);
    w.write_int64(last_broker_epoch_);
    w.write_raw(encode_batch(records));
    return w.take();
}

common::Result<void> MetadataState::restore(std::span<const uint8_t> bytes) {
    common::protocol::Reader r(bytes);
    TRIBUTARY_TRY(version, r.read_int16());
    if (version != kSnapshotVersion) return Errc::Unsupported;
    TRIBUTARY_TRY(last_applied, r.read_int64());
    TRIBUTARY_TRY(last_epoch, r.read_int64());
    TRIBUTARY_TRY(rest, r.read_raw(r.remaining()));
    TRIBUTARY_TRY(records, decode_batch(rest));
    MetadataState fresh;
    for (const auto& record : records) {
        TRIBUTARY_TRY(fresh.apply(record));
    }
    if (last_applied < 0 || last_epoch < fresh.last_broker_epoch_) return Errc::Malformed;
    fresh.last_applied_ = last_applied;
    fresh.last_broker_epoch_ = last_epoch;
    *this = std::move(fresh);
    return common::ok();
}

}  // namespace broker::cluster
