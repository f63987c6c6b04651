#pragma once
// HttpEndpoint: a small HTTP server (cpp-httplib) for /healthz, /readyz and /metrics on an
// address of its own. Owns its listening thread from start() to stop(). Handlers run on
// httplib's worker threads and must be thread-safe.

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "common/result.h"

namespace kop::runtime {

class HttpEndpoint {
  public:
    // Returns (HTTP status, body).
    using Handler = std::function<std::pair<int, std::string>()>;

    HttpEndpoint();
    ~HttpEndpoint();

    void handle(const std::string& path, Handler handler,
                const std::string& content_type = "text/plain; charset=utf-8");
    // Binds host:port (port 0 = any free port) and serves in the background; returns the port.
    common::Result<int> start(const std::string& host, int port);
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Splits "host:port" (":8080" means 127.0.0.1); InvalidArgument when malformed.
common::Result<std::pair<std::string, int>> parse_host_port(const std::string& addr);

}  // namespace kop::runtime
