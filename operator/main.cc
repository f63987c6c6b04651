// tributary-operator: flags -> Manager::run(). See operator/app/manager.h.

#include <unistd.h>
#include <csignal>
#include <cstdio>

#include "common/log.h"
#include "operator/app/manager.h"
#include "operator/kube/http_kube_client.h"
#include "operator/kube/kubeconfig.h"

namespace {

kop::app::Manager* g_manager = nullptr;

void on_signal(int) {
    if (g_manager != nullptr) g_manager->stop();
}

std::string default_identity() {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    return std::string(host) + "_" + std::to_string(getpid());
}

}  // namespace

int main(int argc, char** argv) {
    if (auto code = kop::app::run_subcommand(argc, argv)) return *code;
    std::string error;
    auto options = kop::app::parse_options(argc, argv, error);
    if (!options) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 2;
    }
    if (!common::log::set_level(options.value().log_level)) {
        std::fprintf(stderr, "unknown --log-level %s\n", options.value().log_level.c_str());
        return 2;
    }
    if (options.value().identity.empty()) options.value().identity = default_identity();
    auto log = common::log::get("operator");
    auto config =
        kop::kube::resolve_kubeconfig(options.value().kubeconfig, kop::kube::process_env());
    if (!config) {
        log->error("no usable Kubernetes configuration: {}", config.error().message());
        return 2;
    }
    auto client = kop::kube::HttpKubeClient::create(config.value());
    if (!client) {
        log->error("cannot create the Kubernetes client: {}", client.error().message());
        return 2;
    }
    kop::app::Manager manager(std::move(options.value()), std::move(client.value()),
                              config.value().default_namespace);
    kop::app::register_builtin_controllers(manager);
    g_manager = &manager;
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    int code = manager.run();
    g_manager = nullptr;
    return code;
}
