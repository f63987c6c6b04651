#include "operator/app/options.h"

#include <sstream>

#include "common/errc.h"

namespace kop::app {
namespace {

bool parse_duration(const std::string& v, std::chrono::milliseconds& out) {
    size_t pos = 0;
    double n = 0;
    try {
        n = std::stod(v, &pos);
    } catch (const std::exception&) {
        return false;
    }
    std::string unit = v.substr(pos);
    double ms = unit == "ms"                  ? n
                : unit == "s" || unit.empty() ? n * 1000
                : unit == "m"                 ? n * 60000
                                              : -1;
    if (ms <= 0) return false;
    out = std::chrono::milliseconds(static_cast<long long>(ms));
    return true;
}

std::vector<std::string> split(const std::string& v) {
    std::vector<std::string> out;
    std::istringstream in(v);
    std::string item;
    while (std::getline(in, item, ',')) {
        if (!item.empty()) out.push_back(item);
    }
    return out;
}

}  // namespace

std::string usage() {
    return "usage: tributary-operator [flags]\n"
           "  --kubeconfig=PATH            kubeconfig (default: $KUBECONFIG, in-cluster, "
           "~/.kube/config)\n"
           "  --namespaces=a,b             namespaces to watch (default: all)\n"
           "  --leader-elect               run only while holding the Lease\n"
           "  --leader-election-namespace=NS  namespace of the Lease (default: kubeconfig's)\n"
           "  --leader-election-id=NAME    name of the Lease (default tributary-operator-leader)\n"
           "  --identity=ID                leader-election identity (default: hostname_pid)\n"
           "  --lease-duration=15s --renew-deadline=10s --retry-period=2s\n"
           "  --metrics-addr=HOST:PORT     Prometheus /metrics (default 127.0.0.1:8080, 0=off)\n"
           "  --health-addr=HOST:PORT      /healthz and /readyz (default 127.0.0.1:8081, 0=off)\n"
           "  --workers=N                  reconcile workers per controller (default 2)\n"
           "  --log-level=LEVEL            trace, debug, info, warn, error (default info)\n";
}

common::Result<Options> parse_options(int argc, const char* const* argv, std::string& error) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        std::string name = arg, value;
        size_t eq = arg.find('=');
        if (eq != std::string::npos) {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
        } else if (name != "--leader-elect" && name != "--help" && i + 1 < argc) {
            value = argv[++i];
        }
        bool ok = true;
        if (name == "--help" || name == "-h") {
            error = usage();
            return make_error_code(common::Errc::InvalidArgument);
        } else if (name == "--kubeconfig")
            o.kubeconfig = value;
        else if (name == "--namespaces" || name == "--namespace")
            o.namespaces = split(value);
        else if (name == "--leader-elect")
            o.leader_elect = value.empty() || value == "true";
        else if (name == "--leader-election-namespace")
            o.leader_election_namespace = value;
        else if (name == "--leader-election-id")
            o.leader_election_id = value;
        else if (name == "--identity")
            o.identity = value;
        else if (name == "--lease-duration")
            ok = parse_duration(value, o.lease_duration);
        else if (name == "--renew-deadline")
            ok = parse_duration(value, o.renew_deadline);
        else if (name == "--retry-period")
            ok = parse_duration(value, o.retry_period);
        else if (name == "--metrics-addr")
            o.metrics_addr = value;
        else if (name == "--health-addr")
            o.health_addr = value;
        else if (name == "--log-level")
            o.log_level = value;
        else if (name == "--workers") {
            ok = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos &&
                 value.size() < 4 && (o.workers = std::stoi(value)) > 0;
        } else {
            error = "unknown flag " + name;
            return make_error_code(common::Errc::InvalidArgument);
        }
        if (!ok) {
            error = "bad value for " + name + ": " + value;
            return make_error_code(common::Errc::InvalidArgument);
        }
    }
    if (o.renew_deadline >= o.lease_duration || o.retry_period >= o.renew_deadline) {
        error = "need retry-period < renew-deadline < lease-duration";
        return make_error_code(common::Errc::InvalidArgument);
    }
    return o;
}

}  // namespace kop::app
