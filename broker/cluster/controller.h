#pragma once
// Controller: the controller's command handling. Each command (register a broker, fence it,
// create a topic, ...) is validated against the committed MetadataState and turned into the
// metadata records to propose through Raft; nothing changes until those records are committed
// and applied. Errors carry Kafka's messages and map to Kafka error codes through
// cluster::Errc (server/error_mapping). Commands are pure: the wiring serializes them (the next
// command is computed once the previous one's records are applied), and the state machine's own
// validation keeps a stale proposal from doing harm.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "broker/cluster/leader_report.h"
#include "broker/cluster/metadata_record.h"
#include "broker/cluster/metadata_state.h"
#include "broker/cluster/placement.h"
#include "broker/cluster/topics.h"

namespace broker::config {
struct BrokerConfig;
}

namespace broker::cluster {

struct ControllerSettings {
    int32_t num_partitions = 1;              // num.partitions
    int16_t default_replication_factor = 1;  // default.replication.factor

    static ControllerSettings from(const config::BrokerConfig& config);
};

// What a broker sends the controller when it starts.
struct BrokerRegistrationRequest {
    int32_t broker_id = 0;
    Uuid incarnation_id{};
    std::optional<std::string> rack;
    std::vector<BrokerEndpoint> endpoints;
};

// This broker's registration: its client listeners (not the controller's), advertised addresses.
BrokerRegistrationRequest registration_for(const config::BrokerConfig& config,
                                           const Uuid& incarnation_id);

// The outcome of a command: an error with Kafka's message, or the records to propose (none when
// there is nothing to change or the command only validated).
struct ControllerResult {
    std::error_code error;
    std::string message;
    std::vector<MetadataRecord> records;
    explicit operator bool() const { return !error; }
};

// Reads `state` (owned by the caller, outliving this object); used on the controller's thread.
class Controller {
  public:
    using IdSource = std::function<Uuid()>;

    // `new_topic_id` defaults to random version-4 ids (tests pass a deterministic source).
    Controller(const MetadataState& state, ControllerSettings settings, IdSource new_topic_id = {});

    // A new registration (new epoch, fenced) unless this incarnation is already registered.
    // A restarted broker (new incarnation) first loses leadership (leader -1) and ISR membership.
    ControllerResult register_broker(const BrokerRegistrationRequest& request) const;
    // The broker heartbeats again: unfenced. It leads nothing until its Raft groups report.
    ControllerResult unfence_broker(int32_t id, int64_t epoch) const;
    // The broker stopped heartbeating: fenced, out of every ISR it is not the last member of,
    // and every partition it led gets leader -1 (same leader epoch). The controller never
    // elects leaders: Raft does, and the leaders report (report_leadership).
    ControllerResult fence_broker(int32_t id, int64_t epoch) const;
    ControllerResult unregister_broker(int32_t id, int64_t epoch) const;

    // The cluster's id, when the log has none yet: the first leader commits its own
    // meta.properties id. Nothing once an id is committed; InvalidArgument for a malformed id.
    ControllerResult claim_cluster_id(const std::string& cluster_id) const;

    ControllerResult create_topic(const CreateTopicArgs& args) const;
    ControllerResult create_partitions(const std::string& name, int32_t total_count,
                                       bool validate_only) const;
    // AlterConfigs semantics: the topic's overrides become `configs`.
    ControllerResult replace_configs(const std::string& name, const TopicConfigMap& configs,
                                     bool validate_only) const;
    ControllerResult delete_topic(const std::string& name) const;
    // AlterPartition: the partition's leader (at `leader_epoch`) reports a new ISR.
    ControllerResult change_isr(const Uuid& topic_id, int32_t partition, int32_t leader_epoch,
                                std::vector<int32_t> isr) const;

    // Partitions the (registered, unfenced) broker leads in Raft: a report is accepted when
    // its leader epoch (the Raft term) is above the partition's, or equal and the partition has
    // this leader or none; it sets leader, leader epoch and ISR (fenced brokers left out, the
    // leader always in). Reports that are stale, for unknown partitions, from a non-replica or
    // with an invalid ISR are skipped; a fenced broker's reports are all skipped.
    ControllerResult report_leadership(int32_t broker_id,
                                       const std::vector<LeaderReport>& reports) const;

    const MetadataState& state() const { return state_; }

  private:
    std::optional<PartitionChangeRecord> accept_report(int32_t broker_id,
                                                       const LeaderReport& report) const;
    // Records moving leadership and ISR membership off broker `id`.
    std::vector<MetadataRecord> leave_partitions(int32_t id) const;
    std::vector<PlacementBroker> live_brokers() const;
    std::map<int32_t, int64_t> cluster_load() const;
    bool is_live(int32_t id, int32_t excluded) const;

    const MetadataState& state_;
    ControllerSettings settings_;
    IdSource new_topic_id_;
};

}  // namespace broker::cluster
