#include "broker/config/cluster_settings.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "broker/config/broker_config.h"
#include "common/errc.h"

namespace broker::config {
namespace {

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

template <class T>
bool parse_number(const std::string& s, T& out) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
}

common::Result<QuorumVoter> parse_voter(const std::string& entry, std::string* error) {
    auto fail = [&](const std::string& why) -> common::Result<QuorumVoter> {
        if (error) *error = "bad voter '" + entry + "': " + why + " (expected ID@HOST:PORT)";
        return common::Errc::InvalidArgument;
    };
    auto at = entry.find('@');
    if (at == std::string::npos) return fail("missing '@'");
    QuorumVoter voter;
    if (!parse_number(entry.substr(0, at), voter.id) || voter.id < 0) {
        return fail("the id must be a non-negative integer");
    }
    std::string rest = entry.substr(at + 1);
    auto colon = rest.rfind(':');
    if (colon == std::string::npos) return fail("missing ':PORT'");
    voter.host = rest.substr(0, colon);
    if (voter.host.size() >= 2 && voter.host.front() == '[' && voter.host.back() == ']') {
        voter.host = voter.host.substr(1, voter.host.size() - 2);
    }
    if (voter.host.empty()) return fail("missing host");
    unsigned port = 0;
    if (!parse_number(rest.substr(colon + 1), port) || port == 0 || port > 65535) {
        return fail("the port must be a number in [1, 65535]");
    }
    voter.port = static_cast<uint16_t>(port);
    return voter;
}

bool was_set(const BrokerConfig& config, const std::string& name) {
    return std::any_of(config.entries.begin(), config.entries.end(), [&](const Entry& e) {
        return e.name == name && e.source == Source::StaticFile;
    });
}

bool has_listener(const std::vector<Listener>& listeners, const std::string& name) {
    return std::any_of(listeners.begin(), listeners.end(),
                       [&](const Listener& l) { return l.name == name; });
}

void add(std::string& errors, const std::string& line) {
    errors += (errors.empty() ? "" : "\n") + line;
}

// process.roles unset: a broker, and a controller too when it is a voter (or there are no voters:
// a single node is its own controller).
void derive_roles(BrokerConfig& c) {
    c.broker_role = true;
    c.controller_role =
        c.controller_quorum_voters.empty() ||
        std::any_of(c.controller_quorum_voters.begin(), c.controller_quorum_voters.end(),
                    [&](const QuorumVoter& v) { return v.id == c.node_id; });
}

void check_roles(const BrokerConfig& c, std::string& errors) {
    if (c.controller_quorum_voters.empty()) {
        if (!c.controller_role) {
            add(errors, "controller.quorum.voters: required when process.roles is broker only");
        }
        return;
    }
    // Clustered mode: every node is a broker. The voters are also controllers; the other nodes
    // are broker-only (observers of the quorum: they follow the metadata log as Raft learners).
    const std::string id = std::to_string(c.node_id);
    bool voter = std::any_of(c.controller_quorum_voters.begin(), c.controller_quorum_voters.end(),
                             [&](const QuorumVoter& v) { return v.id == c.node_id; });
    if (!c.broker_role) {
        add(errors,
            "process.roles: controller-only nodes are not supported; in clustered mode every "
            "node is a broker (process.roles=broker,controller for a node in "
            "controller.quorum.voters, process.roles=broker for the others)");
    } else if (voter && !c.controller_role) {
        add(errors, "process.roles: node.id " + id +
                        " is in controller.quorum.voters, so it must be a controller too "
                        "(process.roles=broker,controller)");
    } else if (!voter && c.controller_role) {
        add(errors, "process.roles: node.id " + id +
                        " is a controller but is not in controller.quorum.voters: add it there, "
                        "or make it a broker-only node (process.roles=broker)");
    }
    if (c.controller_listener_names.empty()) {
        add(errors, "controller.listener.names: required when controller.quorum.voters is set");
    }
}

void check_listeners(BrokerConfig& c, std::string& errors) {
    bool map_set = was_set(c, "listener.security.protocol.map");
    for (const auto& name : c.controller_listener_names) {
        // Kafka: an unmapped controller listener is PLAINTEXT unless the map was set explicitly.
        if (!map_set && !c.listener_security_protocol_map.contains(name)) {
            c.listener_security_protocol_map[name] = kPlaintext;
        }
    }
    for (const auto* list : {&c.listeners, &c.advertised_listeners}) {
        for (const auto& l : *list) {
            if (!c.listener_security_protocol_map.contains(l.name)) {
                add(errors,
                    "listener.security.protocol.map: no security protocol for listener " + l.name);
            }
        }
    }
    // The controller listener is also the Raft listener of every clustered node, broker-only
    // ones included (partition replication and the metadata log travel on it).
    const bool clustered = !c.controller_quorum_voters.empty();
    if ((c.controller_role || clustered) && !c.controller_listener_names.empty() &&
        !has_listener(c.listeners, c.controller_listener_names.front())) {
        add(errors,
            "controller.listener.names: " + c.controller_listener_names.front() +
                (clustered ? " must appear in listeners: in clustered mode it is every node's "
                             "Raft listener (controller quorum and partition replication)"
                           : " must appear in listeners when process.roles includes controller"));
    }
    for (const auto& l : c.advertised_listeners) {
        if (c.is_controller_listener(l.name)) {
            add(errors, "advertised.listeners: must not contain the controller listener " + l.name);
        }
    }
    if (!c.broker_role) return;
    std::vector<const Listener*> client;
    for (const auto& l : c.listeners) {
        if (!c.is_controller_listener(l.name)) client.push_back(&l);
    }
    if (client.empty()) {
        add(errors,
            "listeners: a broker needs at least one listener that is not a controller "
            "listener");
        return;
    }
    if (c.inter_broker_listener_name.empty()) {
        c.inter_broker_listener_name =
            has_listener(c.listeners, kPlaintext) && !c.is_controller_listener(kPlaintext)
                ? std::string(kPlaintext)
                : client.front()->name;
    } else if (!has_listener(c.listeners, c.inter_broker_listener_name) ||
               c.is_controller_listener(c.inter_broker_listener_name)) {
        add(errors, "inter.broker.listener.name: " + c.inter_broker_listener_name +
                        " must name a listener in listeners that is not a controller listener");
    }
}

}  // namespace

common::Result<std::vector<QuorumVoter>> parse_quorum_voters(const std::string& text,
                                                             std::string* error) {
    std::vector<QuorumVoter> voters;
    std::set<int32_t> ids;
    for (const auto& entry : split_list(text, false)) {
        TRIBUTARY_TRY(voter, parse_voter(entry, error));
        if (!ids.insert(voter.id).second) {
            if (error) *error = "voter id " + std::to_string(voter.id) + " appears twice";
            return common::Errc::InvalidArgument;
        }
        voters.push_back(std::move(voter));
    }
    return voters;
}

common::Result<std::map<std::string, std::string>> parse_protocol_map(const std::string& text,
                                                                      std::string* error) {
    static const std::set<std::string> kProtocols = {"PLAINTEXT", "SSL", "SASL_PLAINTEXT",
                                                     "SASL_SSL"};
    std::map<std::string, std::string> out;
    for (const auto& entry : split_list(text, true)) {
        auto colon = entry.find(':');
        std::string name = colon == std::string::npos ? "" : trim(entry.substr(0, colon));
        std::string protocol = colon == std::string::npos ? "" : trim(entry.substr(colon + 1));
        if (name.empty() || !kProtocols.contains(protocol)) {
            if (error) {
                *error = "bad entry '" + entry +
                         "' (expected NAME:PROTOCOL with PROTOCOL one of PLAINTEXT, SSL, "
                         "SASL_PLAINTEXT, SASL_SSL)";
            }
            return common::Errc::InvalidArgument;
        }
        if (!out.emplace(name, protocol).second) {
            if (error) *error = "listener name " + name + " appears twice";
            return common::Errc::InvalidArgument;
        }
    }
    return out;
}

std::vector<std::string> split_list(const std::string& text, bool upper) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = std::min(text.find(',', start), text.size());
        std::string entry = trim(text.substr(start, end - start));
        if (upper) std::transform(entry.begin(), entry.end(), entry.begin(), ::toupper);
        if (!entry.empty()) out.push_back(std::move(entry));
        start = end + 1;
    }
    return out;
}

std::string resolve_cluster_settings(BrokerConfig& config) {
    std::string errors;
    if (!was_set(config, "process.roles")) derive_roles(config);
    check_roles(config, errors);
    check_listeners(config, errors);
    return errors;
}

}  // namespace broker::config
