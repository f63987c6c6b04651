#pragma once
// broker-init: the init container of every broker pod (`tributary-operator broker-init`). It
// reads the shared broker.properties template, looks up what the placeholders need (its Node's
// labels and address, its per-broker Services' node ports and load-balancer addresses) with the
// pod's service account, and writes the broker's own properties file. Exits non-zero (and the
// kubelet retries) while a fact is missing, e.g. a load balancer without an address yet.
// Free functions; the KubeClient is the caller's.

#include <map>
#include <string>

#include "common/result.h"
#include "operator/kube/kube_client.h"
#include "operator/model/property_template.h"

namespace kop::controllers {

struct BrokerInitArgs {
    std::string template_path;  // --template
    std::string out_path;       // --out
    std::string cluster;        // --cluster (for messages)
    std::string pod_name;       // env POD_NAME
    std::string pod_namespace;  // env POD_NAMESPACE
    std::string pod_ip;         // env POD_IP
    std::string node_name;      // env NODE_NAME
};

// Parses `broker-init` flags (argv[0] is the subcommand) and the environment variables.
common::Result<BrokerInitArgs> parse_broker_init_args(int argc, const char* const* argv,
                                                      std::string& error);

// Looks up the facts the template's placeholders need.
common::Result<model::BrokerFacts> gather_broker_facts(kube::KubeClient& client,
                                                       const BrokerInitArgs& args,
                                                       const std::string& template_text,
                                                       std::string& error);

// The whole step: read, gather, expand, write (atomically). `error` says what went wrong.
common::Result<void> run_broker_init(kube::KubeClient& client, const BrokerInitArgs& args,
                                     std::string& error);

}  // namespace kop::controllers
