// tributary-broker: flags -> config -> app::Broker::run().

#include <cstdio>

#include "broker/app/broker.h"
#include "broker/config/broker_config.h"
#include "common/log.h"

int main(int argc, char** argv) {
    std::string error;
    auto config = broker::config::load_config(argc, argv, &error);
    if (!config) {
        std::fprintf(stderr, "tributary-broker: invalid configuration:\n%s\n", error.c_str());
        return 2;
    }
    common::log::set_level(config.value().log_level);
    try {
        broker::app::Broker broker(std::move(config).value());
        return broker.run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "tributary-broker: %s\n", e.what());
        return 1;
    }
}
