#include "operator/kube/http_connection.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "operator/kube/errc.h"

namespace kop::kube {

HttpConnection::HttpConnection(ssl::context& tls) : stream_(ioc_, tls) {}

template <class Start>
common::Result<void> HttpConnection::run(std::chrono::seconds timeout, Start start) {
    if (cancelled_) return make_error_code(Errc::Cancelled);
    boost::system::error_code result;
    beast::get_lowest_layer(stream_).expires_after(timeout);
    start([&result](boost::system::error_code ec) { result = ec; });
    ioc_.restart();
    ioc_.run();
    if (cancelled_) return make_error_code(Errc::Cancelled);
    if (result && result != http::error::need_buffer) return make_error_code(Errc::Transient);
    return common::ok();
}

common::Result<void> HttpConnection::connect(const Endpoint& ep, std::chrono::seconds timeout) {
    common::asio::ip::tcp::resolver resolver(ioc_);
    boost::system::error_code ec;
    auto results = resolver.resolve(ep.host, ep.port, ec);
    if (ec) return make_error_code(Errc::Transient);
    SSL* handle = stream_.native_handle();
    X509_VERIFY_PARAM* param = SSL_get0_param(handle);
    if (X509_VERIFY_PARAM_set1_ip_asc(param, ep.host.c_str()) != 1) {
        SSL_set_tlsext_host_name(handle, ep.host.c_str());
        X509_VERIFY_PARAM_set1_host(param, ep.host.c_str(), 0);
    }
    TRIBUTARY_TRY(run(timeout, [&](auto done) {
        beast::get_lowest_layer(stream_).async_connect(
            results, [done](boost::system::error_code e, const auto&) { done(e); });
    }));
    return run(timeout,
               [&](auto done) { stream_.async_handshake(ssl::stream_base::client, done); });
}

common::Result<void> HttpConnection::write(http::request<http::string_body>& req,
                                           std::chrono::seconds timeout) {
    return run(timeout, [&](auto done) {
        http::async_write(stream_, req, [done](boost::system::error_code e, size_t) { done(e); });
    });
}

common::Result<void> HttpConnection::read(http::response_parser<http::string_body>& parser,
                                          std::chrono::seconds timeout) {
    return run(timeout, [&](auto done) {
        http::async_read(stream_, buffer_, parser,
                         [done](boost::system::error_code e, size_t) { done(e); });
    });
}

common::Result<void> HttpConnection::read_header(http::response_parser<http::buffer_body>& parser,
                                                 std::chrono::seconds timeout) {
    return run(timeout, [&](auto done) {
        http::async_read_header(stream_, buffer_, parser,
                                [done](boost::system::error_code e, size_t) { done(e); });
    });
}

common::Result<size_t> HttpConnection::read_body_some(
    http::response_parser<http::buffer_body>& parser, char* buf, size_t size,
    std::chrono::seconds timeout) {
    while (!parser.is_done()) {
        parser.get().body().data = buf;
        parser.get().body().size = size;
        TRIBUTARY_TRY(run(timeout, [&](auto done) {
            http::async_read_some(stream_, buffer_, parser,
                                  [done](boost::system::error_code e, size_t) { done(e); });
        }));
        size_t got = size - parser.get().body().size;
        if (got > 0) return got;
    }
    return size_t{0};
}

void HttpConnection::cancel() {
    cancelled_ = true;
    common::asio::post(ioc_, [this] {
        boost::system::error_code ignored;
        beast::get_lowest_layer(stream_).socket().shutdown(
            common::asio::ip::tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(stream_).cancel();
    });
}

}  // namespace kop::kube
