#pragma once
// The brokers' configuration: one properties file (Kafka property names) shared by every
// broker, with ${...} placeholders that broker-init fills in per pod at start (see
// property_template.h), so scaling never changes the file and never restarts running brokers.

#include <optional>
#include <string>

#include "operator/model/names.h"
#include "operator/model/observed.h"

namespace kop::model {

inline constexpr const char* kDataDir = "/var/lib/tributary";
inline constexpr const char* kConfigDir = "/etc/tributary";
inline constexpr const char* kRuntimeDir = "/var/run/tributary";
inline constexpr const char* kTlsDir = "/etc/tributary/tls";

// Kafka's listener name for a spec listener: upper case ("external" -> "EXTERNAL").
std::string kafka_listener_name(const std::string& name);
// PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.
std::string security_protocol(const api::v1alpha1::Listener& l);
// The controller quorum: pods 0..n-1 are its voters (process.roles=broker,controller); the other
// pods are broker-only nodes (process.roles=broker) that follow the metadata log as learners. A
// new cluster gets n = min(3, spec.replicas); an existing one keeps its n
// (observed.controller_voters), because brokers refuse a voter set other than the one their
// metadata log was formed with (docs/raft.md, "The voter set is static").
inline constexpr int kMaxControllerVoters = 3;
int controller_voter_count(const KafkaCluster& c, const Observed& observed);
// How many voters controller.quorum.voters names in rendered broker.properties (0 when none).
int rendered_voter_count(const std::string& broker_properties);

// The cluster's id (Kafka's form): metadata.uid's 16 bytes in URL-safe base64 without padding
// (22 characters). Rendered as cluster.id so every broker formats its data directory for it.
// nullopt (nothing rendered) when metadata.uid is not a UUID.
std::optional<std::string> cluster_id_for(const KafkaCluster& c);

std::string render_broker_properties(const KafkaCluster& c, const Observed& observed);
// ConfigMap <name>-broker-config with key broker.properties.
Json render_config_map(const KafkaCluster& c, const Observed& observed);
// FNV-1a 64 of everything a running broker reads at start; a pod annotation, so the roller
// knows which pods run an old configuration.
std::string config_hash(const KafkaCluster& c, const Observed& observed);

}  // namespace kop::model
