#pragma once
// Connection: one blocking TCP connection to a Kafka broker that exchanges size-prefixed frames,
// every operation bounded by a deadline (no call hangs). Asio stays in connection.cc. Owned by
// one caller and used from one thread at a time (the reconcile worker); not thread-safe.

#include <chrono>
#include <memory>
#include <span>
#include <string>

#include "common/protocol/types.h"
#include "common/result.h"

namespace kop::kafka_admin {

using Duration = std::chrono::milliseconds;

struct Address {
    std::string host;
    uint16_t port = 0;

    std::string str() const { return host + ":" + std::to_string(port); }
};

// "host:port" or "[v6]:port".
common::Result<Address> parse_address(const std::string& text);

class Connection {
  public:
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Resolves and connects within `timeout`.
    static common::Result<std::unique_ptr<Connection>> open(const Address& address,
                                                            Duration timeout);

    // Sends one frame (the 4-byte size is added here) and reads one whole frame back, both within
    // `timeout`; returns the frame's payload. Any failure leaves the connection unusable.
    common::Result<common::protocol::Bytes> round_trip(std::span<const uint8_t> payload,
                                                       Duration timeout);

    const Address& address() const { return address_; }

  private:
    struct State;
    Connection(Address address, std::unique_ptr<State> state);

    Address address_;
    std::unique_ptr<State> state_;
};

}  // namespace kop::kafka_admin
