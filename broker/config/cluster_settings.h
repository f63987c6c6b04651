#pragma once
// The cluster-facing broker settings: controller.quorum.voters, process.roles,
// listener.security.protocol.map, controller.listener.names, inter.broker.listener.name, and the
// cross-checks between them and `listeners` / `advertised.listeners` (Kafka's rules).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"

namespace broker::config {

struct BrokerConfig;

// One `controller.quorum.voters` entry: id@host:port.
struct QuorumVoter {
    int32_t id = 0;
    std::string host;
    uint16_t port = 0;
    bool operator==(const QuorumVoter&) const = default;
};

// Kafka's security protocols for a listener.
inline constexpr const char* kPlaintext = "PLAINTEXT";

// "1@host:9090,2@[::1]:9090" -> voters; an empty string gives an empty list. On failure `error`
// names the bad entry (missing @, id not a non-negative integer, duplicate id, bad port).
common::Result<std::vector<QuorumVoter>> parse_quorum_voters(const std::string& text,
                                                             std::string* error);

// "CONTROLLER:PLAINTEXT,TLS:SSL" -> name -> protocol (names upper-cased). Protocols must be one
// of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL.
common::Result<std::map<std::string, std::string>> parse_protocol_map(const std::string& text,
                                                                      std::string* error);

// A comma-separated list, entries trimmed, empty entries dropped; `upper` upper-cases them.
std::vector<std::string> split_list(const std::string& text, bool upper);

// Checks the cluster settings against each other and against the listeners, and fills the
// derived values (process roles when unset, inter.broker.listener.name when unset). Returns one
// line per problem ("" when all is well).
std::string resolve_cluster_settings(BrokerConfig& config);

}  // namespace broker::config
