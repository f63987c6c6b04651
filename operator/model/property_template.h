#pragma once
// The per-broker placeholders of broker.properties (${ORDINAL}, ${NODE_LABEL:key}, ...) and
// their expansion. Pure: broker-init gathers the facts (environment, its Node, its Services) and
// calls expand_properties(); the renderers only write placeholders. See docs/operator.md.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"

namespace kop::model {

// What broker-init found out about its pod.
struct BrokerFacts {
    std::string pod_name;
    std::string pod_namespace;
    std::string pod_ip;
    std::string node_name;
    std::string node_address;                         // ExternalIP, else InternalIP
    std::map<std::string, std::string> node_labels;   // the Node's labels
    std::map<std::string, int32_t> node_ports;        // listener -> nodePort of <pod>-<l>
    std::map<std::string, std::string> lb_addresses;  // listener -> ingress ip/hostname
};

struct Placeholder {
    std::string name;      // ORDINAL, NODE_LABEL, NODEPORT, ...
    std::string argument;  // the part after ':' (label key or listener), may be empty
    bool operator==(const Placeholder&) const = default;
};

// Every ${...} in the template, in order of appearance (duplicates kept). broker-init uses it
// to decide which lookups (Node, Services) it must make.
std::vector<Placeholder> placeholders(const std::string& text);

// The ordinal at the end of a StatefulSet pod name ("events-broker-12" -> 12).
common::Result<int32_t> pod_ordinal(const std::string& pod_name);

// Replaces every placeholder. Fails (with `error` set) on an unknown placeholder or a fact that
// is missing, naming it, so a broker never starts with a half-filled configuration.
common::Result<std::string> expand_properties(const std::string& text, const BrokerFacts& facts,
                                              std::string* error);

}  // namespace kop::model
