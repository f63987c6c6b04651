#pragma once
// One HTTPS connection to the API server with its own io_context, driven synchronously with a
// timeout per operation. Internal to kube/ (it includes Beast). Owned by one thread at a time;
// cancel() is the only method another thread may call.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "common/asio.h"

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "common/result.h"

namespace kop::kube {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;

struct Endpoint {
    std::string host;
    std::string port;
};

class HttpConnection {
  public:
    explicit HttpConnection(ssl::context& tls);

    common::Result<void> connect(const Endpoint& ep, std::chrono::seconds timeout);
    common::Result<void> write(http::request<http::string_body>& req, std::chrono::seconds timeout);
    common::Result<void> read(http::response_parser<http::string_body>& parser,
                              std::chrono::seconds timeout);
    common::Result<void> read_header(http::response_parser<http::buffer_body>& parser,
                                     std::chrono::seconds timeout);
    // Reads whatever body bytes arrive next into `buf`; returns the count (0 at the end).
    common::Result<size_t> read_body_some(http::response_parser<http::buffer_body>& parser,
                                          char* buf, size_t size, std::chrono::seconds timeout);
    void cancel();
    bool cancelled() const { return cancelled_.load(); }

  private:
    template <class Start>
    common::Result<void> run(std::chrono::seconds timeout, Start start);

    common::asio::io_context ioc_;
    beast::ssl_stream<beast::tcp_stream> stream_;
    beast::flat_buffer buffer_;
    std::atomic<bool> cancelled_{false};
};

}  // namespace kop::kube
