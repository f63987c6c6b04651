#pragma once
// BrokerProcess: one real tributary-broker process for a test, on a private loopback address
// (127.0.0.x) with a free port and its own temporary log dir. start() waits until the broker
// answers ApiVersions; the destructor kills it (SIGKILL) and removes the directory, and the
// broker also dies with the test process (PR_SET_PDEATHSIG). Owned by one test; not thread-safe.

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>

namespace kop::testing {

// The broker binary: $TRIBUTARY_BROKER (set by CTest).
std::string broker_binary();

// A private loopback address 127.0.0.x (x in 2..254), chosen from `seed` and the pid.
std::string private_loopback_address(const std::string& seed);

// A port that was free on `host` a moment ago (0 when none could be bound).
uint16_t free_port(const std::string& host);

class BrokerProcess {
  public:
    BrokerProcess() = default;
    ~BrokerProcess();
    BrokerProcess(const BrokerProcess&) = delete;
    BrokerProcess& operator=(const BrokerProcess&) = delete;

    // Starts on host:port (empty host: a private address; port 0: a free one, retried on a new
    // address when taken meanwhile) with `extra` broker properties; false (with the log on
    // stderr) when it did not become ready.
    bool start(const std::string& seed, std::string host = "", uint16_t port = 0,
               const std::map<std::string, std::string>& extra = {});
    // SIGTERM and wait; returns the exit status (as waitpid reports it).
    int stop();

    const std::string& host() const { return host_; }
    uint16_t port() const { return port_; }
    std::string bootstrap() const { return host_ + ":" + std::to_string(port_); }
    const std::string& log_dir() const { return log_dir_; }
    std::string log_text() const;
    // `key` of <log dir>/meta.properties, or "" when the broker writes none (yet).
    std::string meta_property(const std::string& key) const;

  private:
    bool start_once(const std::map<std::string, std::string>& extra);
    bool wait_ready();

    std::string dir_;
    std::string log_dir_;
    std::string host_;
    uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace kop::testing
