#pragma once
// MetadataState: the controller's state machine. It holds the cluster's metadata (brokers,
// topics, partitions and their assignments, configs) and changes only by applying committed
// metadata records (metadata_record.h). Applying validates each record against the current
// state: an invalid record changes nothing and is reported, so a bad or hostile entry never
// crashes a broker and every replica, applying the same log, ends in the same state.
// snapshot() encodes the whole state as records; restore() rebuilds it from them.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "broker/cluster/metadata_record.h"
#include "broker/cluster/topic_info.h"
#include "common/result.h"

namespace broker::cluster {

struct BrokerRegistration {
    int32_t id = 0;
    Uuid incarnation_id{};
    int64_t epoch = 0;
    std::optional<std::string> rack;
    std::vector<BrokerEndpoint> endpoints;
    bool fenced = true;
    bool operator==(const BrokerRegistration&) const = default;

    const BrokerEndpoint* endpoint(std::string_view listener) const;
};

struct PartitionState {
    std::vector<int32_t> replicas;  // the first is the preferred leader
    std::vector<int32_t> isr;
    int32_t leader = -1;  // -1: offline
    int32_t leader_epoch = 0;
    int32_t partition_epoch = 0;
    bool operator==(const PartitionState&) const = default;
};

struct TopicMetadata {
    std::string name;
    Uuid id{};
    std::vector<PartitionState> partitions;  // index = partition id
    TopicConfigMap configs;                  // overrides only
    bool operator==(const TopicMetadata&) const = default;
};

// A plain value (copyable; MetadataCache publishes copies). Not thread-safe: one writer, the
// thread applying committed entries.
class MetadataState {
  public:
    // Applies one record; on an invalid record returns why (InvalidArgument, NotFound,
    // AlreadyExists) and changes nothing. A ClusterId record is accepted once (a malformed id
    // or another id once one is set is refused; the same id again changes nothing).
    [[nodiscard]] common::Result<void> apply(const MetadataRecord& record);

    // Applies one committed entry (a batch) at log `index`; an undecodable payload or an invalid
    // record is logged and skipped. Returns how many records were rejected (0 for a whole batch).
    // Entries at or below last_applied() are ignored (a replay after restore).
    size_t apply_entry(int64_t index, std::span<const uint8_t> payload);

    // The whole state as bytes: header (version, last applied index, last broker epoch) and one
    // batch of records that recreates it. Equal states give equal bytes.
    common::protocol::Bytes snapshot() const;
    // Replaces this state by the one in `bytes`; on any error this state is unchanged.
    [[nodiscard]] common::Result<void> restore(std::span<const uint8_t> bytes);

    int64_t last_applied() const { return last_applied_; }
    // The cluster's id (a ClusterId record), "" until the first controller leader commits it.
    const std::string& cluster_id() const { return cluster_id_; }
    // The highest broker epoch ever registered (the controller hands out the next one).
    int64_t last_broker_epoch() const { return last_broker_epoch_; }

    const std::map<int32_t, BrokerRegistration>& brokers() const { return brokers_; }
    const BrokerRegistration* broker(int32_t id) const;
    const std::map<Uuid, TopicMetadata>& topics() const { return topics_; }
    const TopicMetadata* topic(std::string_view name) const;
    const TopicMetadata* topic(const Uuid& id) const;
    // Broker-level configs: "" = cluster-wide default, else a broker id.
    const std::map<std::string, TopicConfigMap>& broker_configs() const { return broker_configs_; }

    bool operator==(const MetadataState&) const = default;

  private:
    common::Result<void> on(const RegisterBrokerRecord& r);
    common::Result<void> on(const UnregisterBrokerRecord& r);
    common::Result<void> on(const BrokerFencingRecord& r);
    common::Result<void> on(const TopicRecord& r);
    common::Result<void> on(const PartitionRecord& r);
    common::Result<void> on(const PartitionChangeRecord& r);
    common::Result<void> on(const ConfigRecord& r);
    common::Result<void> on(const RemoveTopicRecord& r);
    common::Result<void> on(const ClusterIdRecord& r);
    TopicMetadata* find_topic(const Uuid& id);

    int64_t last_applied_ = 0;
    int64_t last_broker_epoch_ = 0;
    std::string cluster_id_;
    std::map<int32_t, BrokerRegistration> brokers_;
    std::map<Uuid, TopicMetadata> topics_;
    std::map<std::string, Uuid, std::less<>> topic_ids_;  // name -> id
    std::map<std::string, TopicConfigMap> broker_configs_;
};

// Whether `p` is a valid partition state: replicas non-empty, distinct and >= 0; the ISR a
// distinct subset of the replicas; the leader -1 or in the ISR; epochs >= 0.
bool is_valid_partition(const PartitionState& p);

}  // namespace broker::cluster
