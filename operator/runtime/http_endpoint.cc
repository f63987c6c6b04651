#include "operator/runtime/http_endpoint.h"

#include <thread>

#include <httplib.h>

#include "common/errc.h"

namespace kop::runtime {

struct HttpEndpoint::Impl {
    httplib::Server server;
    std::thread thread;
};

HttpEndpoint::HttpEndpoint() : impl_(std::make_unique<Impl>()) {}
HttpEndpoint::~HttpEndpoint() {
    stop();
}

void HttpEndpoint::handle(const std::string& path, Handler handler,
                          const std::string& content_type) {
    impl_->server.Get(path,
                      [handler, content_type](const httplib::Request&, httplib::Response& res) {
                          auto [status, body] = handler();
                          res.status = status;
                          res.set_content(body, content_type.c_str());
                      });
}

common::Result<int> HttpEndpoint::start(const std::string& host, int port) {
    int bound = port == 0 ? impl_->server.bind_to_any_port(host.c_str())
                          : (impl_->server.bind_to_port(host.c_str(), port) ? port : -1);
    if (bound <= 0) return make_error_code(common::Errc::IoError);
    impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
    return bound;
}

void HttpEndpoint::stop() {
    if (!impl_) return;
    impl_->server.stop();
    if (impl_->thread.joinable()) impl_->thread.join();
}

common::Result<std::pair<std::string, int>> parse_host_port(const std::string& addr) {
    size_t colon = addr.rfind(':');
    if (colon == std::string::npos) return make_error_code(common::Errc::InvalidArgument);
    std::string host = addr.substr(0, colon);
    if (host.empty()) host = "127.0.0.1";
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    std::string port = addr.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos) {
        return make_error_code(common::Errc::InvalidArgument);
    }
    int p = std::stoi(port);
    if (p > 65535) return make_error_code(common::Errc::InvalidArgument);
    return std::make_pair(host, p);
}

}  // namespace kop::runtime
