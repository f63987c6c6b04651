#pragma once
// app::Broker: wires the subsystems of one broker process and owns them: the shards (one
// io_context thread each), the per-shard partition managers, the topic controller, the Kafka
// listener, the admin API and the metrics. main() builds the config and calls run().

#include <cstdint>
#include <memory>

#include "broker/config/broker_config.h"
#include "common/result.h"

namespace broker::app {

// Lives on main()'s thread (the control thread); start()/stop()/run() are called from there.
class Broker {
  public:
    explicit Broker(config::BrokerConfig config);
    ~Broker();
    Broker(const Broker&) = delete;
    Broker& operator=(const Broker&) = delete;

    // Starts everything but the Kafka listeners. Errors are logged with their cause.
    [[nodiscard]] common::Result<void> start();
    // Whether this broker may serve clients: always on a single node; clustered, once this
    // broker is registered and unfenced in its own metadata cache (as a Kafka broker waits for
    // its first unfencing): until then it would describe a cluster it is not part of.
    bool may_serve() const;
    // Opens the Kafka listeners and reports ready.
    [[nodiscard]] common::Result<void> serve();
    // Graceful stop: stop accepting, close connections, flush and close the logs, stop shards.
    void stop();
    // start(), wait until may_serve(), serve(), then wait for SIGINT/SIGTERM, then stop().
    // A signal while waiting stops too. Returns the process exit code.
    int run();

    uint16_t kafka_port() const;
    uint16_t admin_port() const;

  private:
    struct Parts;
    static void start_registration(Parts& p);
    static void follow_offsets_leaders(Parts& p);
    static void start_raft_membership(Parts& p);
    std::unique_ptr<Parts> parts_;
};

}  // namespace broker::app
