#pragma once
// Command-line options of tributary-operator. Pure parsing.

#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"

namespace kop::app {

struct Options {
    std::string kubeconfig;                 // --kubeconfig; empty: KUBECONFIG, in-cluster, ~/.kube
    std::vector<std::string> namespaces;    // --namespaces=a,b; empty = all namespaces
    bool leader_elect = false;              // --leader-elect
    std::string leader_election_namespace;  // --leader-election-namespace (default: kubeconfig's)
    std::string leader_election_id = "tributary-operator-leader";
    std::string identity;  // --identity (default: hostname_pid)
    std::chrono::milliseconds lease_duration{std::chrono::seconds(15)};
    std::chrono::milliseconds renew_deadline{std::chrono::seconds(10)};
    std::chrono::milliseconds retry_period{std::chrono::seconds(2)};
    std::string metrics_addr = "127.0.0.1:8080";  // --metrics-addr; "0" disables
    std::string health_addr = "127.0.0.1:8081";   // --health-addr; "0" disables
    std::string log_level = "info";
    int workers = 2;  // --workers: reconcile workers per controller
};

// Parses argv. On error returns InvalidArgument and sets `error` to a one-line message;
// --help sets `error` to the usage text and returns InvalidArgument too.
common::Result<Options> parse_options(int argc, const char* const* argv, std::string& error);

std::string usage();

}  // namespace kop::app
