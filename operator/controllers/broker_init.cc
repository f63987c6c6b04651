#include "operator/controllers/broker_init.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/errc.h"

namespace kop::controllers {
namespace {

using common::Result;
using nlohmann::json;

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr ? v : "";
}

Result<void> fail(std::string& error, std::string message, std::error_code code) {
    error = std::move(message);
    return code;
}

std::string node_address(const json& node) {
    const json addresses = node.value("status", json::object()).value("addresses", json::array());
    for (const char* type : {"ExternalIP", "InternalIP"}) {
        for (const auto& a : addresses) {
            if (a.value("type", "") == type) return a.value("address", "");
        }
    }
    return "";
}

Result<json> get_service(kube::KubeClient& client, const BrokerInitArgs& args,
                         const std::string& listener, std::string& error) {
    std::string name = args.pod_name + "-" + listener;
    auto svc = client.get(kube::core_v1("services"), args.pod_namespace, name);
    if (!svc) error = "cannot read Service " + name + ": " + svc.error().message();
    return svc;
}

Result<void> add_service_fact(kube::KubeClient& client, const BrokerInitArgs& args,
                              const model::Placeholder& p, model::BrokerFacts& facts,
                              std::string& error) {
    TRIBUTARY_TRY(svc, get_service(client, args, p.argument, error));
    if (p.name == "NODEPORT") {
        const json ports = svc.value("spec", json::object()).value("ports", json::array());
        if (ports.empty() || !ports[0].contains("nodePort")) {
            return fail(error, "Service " + args.pod_name + "-" + p.argument + " has no nodePort",
                        common::Errc::NotFound);
        }
        facts.node_ports[p.argument] = ports[0]["nodePort"].get<int32_t>();
        return common::ok();
    }
    const json ingress = svc.value("status", json::object())
                             .value("loadBalancer", json::object())
                             .value("ingress", json::array());
    std::string address;
    if (!ingress.empty()) address = ingress[0].value("hostname", ingress[0].value("ip", ""));
    if (address.empty()) {
        return fail(error,
                    "load balancer of " + args.pod_name + "-" + p.argument + " has no address yet",
                    common::Errc::NotFound);
    }
    facts.lb_addresses[p.argument] = address;
    return common::ok();
}

}  // namespace

Result<BrokerInitArgs> parse_broker_init_args(int argc, const char* const* argv,
                                              std::string& error) {
    BrokerInitArgs a;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        std::string value;
        auto eq = arg.find('=');
        if (eq != std::string::npos) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        } else if (i + 1 < argc) {
            value = argv[++i];
        }
        if (arg == "--template") {
            a.template_path = value;
        } else if (arg == "--out") {
            a.out_path = value;
        } else if (arg == "--cluster") {
            a.cluster = value;
        } else {
            error = "broker-init: unknown flag " + arg;
            return common::Errc::InvalidArgument;
        }
    }
    a.pod_name = env("POD_NAME");
    a.pod_namespace = env("POD_NAMESPACE");
    a.pod_ip = env("POD_IP");
    a.node_name = env("NODE_NAME");
    if (a.template_path.empty() || a.out_path.empty() || a.pod_name.empty() ||
        a.pod_namespace.empty()) {
        error =
            "broker-init: needs --template, --out and POD_NAME, POD_NAMESPACE in the environment";
        return common::Errc::InvalidArgument;
    }
    return a;
}

Result<model::BrokerFacts> gather_broker_facts(kube::KubeClient& client, const BrokerInitArgs& args,
                                               const std::string& template_text,
                                               std::string& error) {
    model::BrokerFacts facts;
    facts.pod_name = args.pod_name;
    facts.pod_namespace = args.pod_namespace;
    facts.pod_ip = args.pod_ip;
    facts.node_name = args.node_name;
    bool node_read = false;
    for (const auto& p : model::placeholders(template_text)) {
        if ((p.name == "NODE_LABEL" || p.name == "NODE_ADDRESS") && !node_read) {
            auto node = client.get(kube::core_v1("nodes", false), "", args.node_name);
            if (!node) {
                error = "cannot read Node '" + args.node_name + "': " + node.error().message();
                return node.error();
            }
            const json labels = node.value()["metadata"].value("labels", json::object());
            for (const auto& [k, v] : labels.items()) {
                if (v.is_string()) facts.node_labels[k] = v.get<std::string>();
            }
            facts.node_address = node_address(node.value());
            node_read = true;
        } else if ((p.name == "NODEPORT" && facts.node_ports.count(p.argument) == 0) ||
                   (p.name == "LB_ADDRESS" && facts.lb_addresses.count(p.argument) == 0)) {
            TRIBUTARY_TRY(add_service_fact(client, args, p, facts, error));
        }
    }
    return facts;
}

Result<void> run_broker_init(kube::KubeClient& client, const BrokerInitArgs& args,
                             std::string& error) {
    std::ifstream in(args.template_path);
    if (!in) return fail(error, "cannot read " + args.template_path, common::Errc::IoError);
    std::stringstream text;
    text << in.rdbuf();
    TRIBUTARY_TRY(facts, gather_broker_facts(client, args, text.str(), error));
    TRIBUTARY_TRY(expanded, model::expand_properties(text.str(), facts, &error));
    std::string tmp = args.out_path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << expanded;
        if (!out.flush()) return fail(error, "cannot write " + tmp, common::Errc::IoError);
    }
    if (std::rename(tmp.c_str(), args.out_path.c_str()) != 0) {
        return fail(error, "cannot rename " + tmp + " to " + args.out_path, common::Errc::IoError);
    }
    return common::ok();
}

}  // namespace kop::controllers
