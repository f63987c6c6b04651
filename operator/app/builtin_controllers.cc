#include <cstdio>

#include "common/log.h"
#include "operator/app/manager.h"
#include "operator/kube/http_kube_client.h"
#include "operator/kube/kubeconfig.h"

#ifdef TRIBUTARY_HAVE_CONTROLLERS
#include "operator/controllers/broker_init.h"
#include "operator/controllers/register.h"
#endif

namespace kop::app {

void register_builtin_controllers(runtime::ControllerHost& host) {
#ifdef TRIBUTARY_HAVE_CONTROLLERS
    kop::controllers::register_controllers(host);
#else
    (void)host;
#endif
}

std::optional<int> run_subcommand(int argc, const char* const* argv) {
    if (argc < 2 || std::string(argv[1]) != "broker-init") return std::nullopt;
#ifdef TRIBUTARY_HAVE_CONTROLLERS
    auto log = common::log::get("broker-init");
    std::string error;
    auto args = kop::controllers::parse_broker_init_args(argc - 1, argv + 1, error);
    if (!args) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 2;
    }
    auto config = kube::resolve_kubeconfig("", kube::process_env());
    if (!config) {
        log->error("no usable Kubernetes configuration: {}", config.error().message());
        return 1;
    }
    auto client = kube::HttpKubeClient::create(config.value());
    if (!client) {
        log->error("cannot create the Kubernetes client: {}", client.error().message());
        return 1;
    }
    auto done = kop::controllers::run_broker_init(*client.value(), args.value(), error);
    if (!done) {
        log->error("{}", error.empty() ? done.error().message() : error);
        return 1;
    }
    return 0;
#else
    std::fprintf(stderr, "broker-init: this build has no controllers\n");
    return 2;
#endif
}

}  // namespace kop::app
